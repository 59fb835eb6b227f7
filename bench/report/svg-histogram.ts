/** Histograms of latency samples on shared log-spaced bins, one panel per series (small multiples). */
import type { Series } from './svg-cdf.ts';
import { escapeXml, logDomain, logScale, logXAxis, PALETTE, svgDocument, type Box } from './svg-kit.ts';

const WIDTH = 760;
const PANEL_HEIGHT = 110;
const BINS = 48;

function panel(s: Series, i: number, box: Box, lo: number, hi: number): string {
  const x = logScale(lo, hi, box.left, box.left + box.width);
  const counts = new Array<number>(BINS).fill(0);
  const logLo = Math.log10(lo);
  const binWidth = (Math.log10(hi) - logLo) / BINS;
  for (const v of s.samples) counts[Math.min(BINS - 1, Math.max(0, Math.floor((Math.log10(v) - logLo) / binWidth)))]!++;
  const peak = Math.max(...counts, 1);
  const bars = counts.map((c, b) => {
    const x0 = x(10 ** (logLo + b * binWidth));
    const x1 = x(10 ** (logLo + (b + 1) * binWidth));
    const h = (c / peak) * (box.height - 18);
    return c === 0 ? '' : `<rect x="${x0.toFixed(1)}" y="${(box.top + box.height - h).toFixed(1)}" width="${Math.max(0.5, x1 - x0 - 0.5).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"/>`;
  });
  const label = `<text x="${box.left + 4}" y="${box.top + 12}">${escapeXml(s.name)}: n=${s.samples.length}, tallest bar ${((peak / Math.max(1, s.samples.length)) * 100).toFixed(0)}% of samples</text>`;
  return [`<line x1="${box.left}" y1="${box.top + box.height}" x2="${box.left + box.width}" y2="${box.top + box.height}" stroke="#999"/>`, ...bars, label].join('');
}

export function renderHistograms(title: string, series: readonly Series[], xLabel = 'latency, ms (log scale)'): string {
  const shown = series.filter((s) => s.samples.length > 0);
  const [lo, hi] = logDomain(shown.map((s) => s.samples));
  const boxes = shown.map((_, i): Box => ({ left: 60, top: 36 + i * PANEL_HEIGHT, width: 660, height: PANEL_HEIGHT - 10 }));
  const panels = shown.map((s, i) => panel(s, i, boxes[i]!, lo, hi));
  const last = boxes.at(-1) ?? { left: 60, top: 36, width: 660, height: PANEL_HEIGHT - 10 };
  const height = last.top + last.height + 50;
  return svgDocument(WIDTH, height, title, [...panels, logXAxis({ ...last, top: 36, height: last.top + last.height - 36 }, lo, hi, xLabel)].join('\n'));
}
