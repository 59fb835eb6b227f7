/** A cumulative distribution plot (log x) of latency samples, one line per series. */
import { escapeXml, logDomain, logScale, logXAxis, PALETTE, svgDocument, type Box } from './svg-kit.ts';

export interface Series {
  readonly name: string;
  readonly samples: readonly number[];
}

const WIDTH = 840;
const HEIGHT = 420;
const BOX: Box = { left: 60, top: 36, width: 520, height: 320 };

function steps(samples: readonly number[], x: (v: number) => number, y: (f: number) => number): string {
  const s = [...samples].sort((a, b) => a - b);
  // at most ~600 points: enough for a smooth curve, small enough for the repo
  const stride = Math.max(1, Math.floor(s.length / 600));
  const points: string[] = [];
  for (let i = 0; i < s.length; i += stride) points.push(`${x(s[i]!).toFixed(1)},${y((i + 1) / s.length).toFixed(1)}`);
  points.push(`${x(s.at(-1)!).toFixed(1)},${y(1).toFixed(1)}`);
  return points.join(' ');
}

function yAxis(y: (f: number) => number): string {
  return [0, 0.25, 0.5, 0.75, 0.9, 1].map((f) => `<line x1="${BOX.left}" y1="${y(f)}" x2="${BOX.left + BOX.width}" y2="${y(f)}" stroke="#eee"/><text x="${BOX.left - 6}" y="${y(f) + 4}" text-anchor="end">${(f * 100).toFixed(0)}%</text>`).join('')
    + `<line x1="${BOX.left}" y1="${BOX.top}" x2="${BOX.left}" y2="${BOX.top + BOX.height}" stroke="#333"/>`
    + `<text transform="translate(16 ${BOX.top + BOX.height / 2}) rotate(-90)" text-anchor="middle">share of invokes at or below</text>`;
}

export function renderCdf(title: string, series: readonly Series[], xLabel = 'latency, ms (log scale)'): string {
  const shown = series.filter((s) => s.samples.length > 0);
  const [lo, hi] = logDomain(shown.map((s) => s.samples));
  const x = logScale(lo, hi, BOX.left, BOX.left + BOX.width);
  const y = (f: number) => BOX.top + BOX.height * (1 - f);
  const lines = shown.map((s, i) => `<polyline fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2" points="${steps(s.samples, x, y)}"/>`);
  const legend = shown.map((s, i) => {
    const ly = BOX.top + 10 + i * 20;
    return `<rect x="${BOX.left + BOX.width + 16}" y="${ly - 9}" width="14" height="4" fill="${PALETTE[i % PALETTE.length]}"/><text x="${BOX.left + BOX.width + 36}" y="${ly - 3}">${escapeXml(s.name)} (n=${s.samples.length})</text>`;
  });
  return svgDocument(WIDTH, HEIGHT, title, [yAxis(y), logXAxis(BOX, lo, hi, xLabel), ...lines, ...legend].join('\n'));
}
