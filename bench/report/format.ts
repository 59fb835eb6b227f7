/** Number and cell formatting for the Markdown report. */
import type { Cell } from './aggregate.ts';

export function formatNumber(v: number, unit: string): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (unit === 'count' || unit.endsWith('/s')) return v >= 100 ? v.toFixed(0) : v.toFixed(1);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  return Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export const formatRatio = (r: number | undefined): string => (r === undefined ? '—' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`);

/** `median [min–max]`, or the note mark of an unsupported figure. */
export function formatCell(cell: Cell, unit: string, repetitions: number, noteMark: (reason: string) => string): string {
  if (cell.state === 'failed') return 'failed';
  if (cell.state === 'unsupported') return `n/a ${noteMark(cell.reason)}`;
  const base = formatNumber(cell.median, unit);
  const range = cell.n > 1 ? ` [${formatNumber(cell.min, unit)}–${formatNumber(cell.max, unit)}]` : '';
  return `${base}${range}${cell.n < repetitions ? ` (${cell.n} of ${repetitions} runs)` : ''}`;
}

/** Collects the reasons behind n/a cells of one table and numbers them. */
export class Notes {
  readonly #reasons: string[] = [];

  readonly mark = (reason: string): string => {
    let i = this.#reasons.indexOf(reason);
    if (i < 0) i = this.#reasons.push(reason) - 1;
    return `(${i + 1})`;
  };

  lines(): string[] {
    return this.#reasons.map((r, i) => `(${i + 1}) ${r}`);
  }
}
