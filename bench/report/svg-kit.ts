/** Small pieces shared by the SVG plots: escaping, a log scale with 1-2-5 ticks, colours, axes. */
export const PALETTE = ['#d94801', '#2171b5', '#6a51a3', '#525252', '#238b45', '#cb181d'];

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Maps [lo, hi] (lo > 0) onto [x0, x1] logarithmically. */
export function logScale(lo: number, hi: number, x0: number, x1: number): (v: number) => number {
  const a = Math.log10(lo);
  const span = Math.max(Math.log10(hi) - a, 1e-9);
  return (v) => x0 + ((Math.log10(Math.max(v, lo)) - a) / span) * (x1 - x0);
}

/** 1-2-5 ticks within [lo, hi]. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  return ticks;
}

export const tickLabel = (v: number): string => (v >= 1 ? String(Number(v.toPrecision(3))) : v.toPrecision(1));

/** The x axis (log, ms) at the bottom of `box`, with grid lines and a label. */
export function logXAxis(box: Box, lo: number, hi: number, label: string): string {
  const x = logScale(lo, hi, box.left, box.left + box.width);
  const bottom = box.top + box.height;
  const parts = logTicks(lo, hi).map((t) => `<line x1="${x(t)}" y1="${box.top}" x2="${x(t)}" y2="${bottom}" stroke="#e5e5e5"/><text x="${x(t)}" y="${bottom + 16}" text-anchor="middle">${tickLabel(t)}</text>`);
  parts.push(`<line x1="${box.left}" y1="${bottom}" x2="${box.left + box.width}" y2="${bottom}" stroke="#333"/>`);
  parts.push(`<text x="${box.left + box.width / 2}" y="${bottom + 34}" text-anchor="middle">${escapeXml(label)}</text>`);
  return parts.join('');
}

export function svgDocument(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<title>${escapeXml(title)}</title>
<rect width="${width}" height="${height}" fill="#fff"/>
<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>
${body}
</svg>
`;
}

/** Positive samples' range, widened a little, for a log axis. */
export function logDomain(series: ReadonlyArray<readonly number[]>): [number, number] {
  const all = series.flat().filter((v) => v > 0 && Number.isFinite(v));
  if (all.length === 0) return [0.1, 10];
  return [Math.min(...all) * 0.9, Math.max(...all) * 1.1];
}
