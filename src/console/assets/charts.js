// uPlot in Preact: the plot is made once per mount and fed new data with setData (no re-creation per push).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './api.js';
import { ms } from './format.js';

const COLORS = { invocations: '#2563eb', errors: '#dc2626', throttles: '#d97706', coldStarts: '#7c3aed', warm: '#059669', cold: '#7c3aed' };

/** A uPlot of `data` with the options `makeOptions(width)` gives; resizes with its box. */
export function Plot({ makeOptions, data, label }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const width = Math.max(280, box.current.clientWidth);
    plot.current = new uPlot(makeOptions(width), data, box.current);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(280, box.current.clientWidth), height: plot.current.height }));
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return html`<div class="plot" ref=${box} data-plot=${label}></div>`;
}

/** Invocations, errors, throttles and cold starts per second over the window (x: Unix seconds). */
export function activityOptions(width) {
  const line = (label, color) => ({ label, stroke: color, width: 1.5, points: { show: false } });
  return {
    width,
    height: 200,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    series: [{}, line('invocations/s', COLORS.invocations), line('errors', COLORS.errors), line('throttles', COLORS.throttles), line('cold starts', COLORS.coldStarts)],
    axes: [{}, { label: 'per second', size: 50 }],
  };
}

export function activityData(seconds) {
  return [seconds.map((s) => s.t), seconds.map((s) => s.invocations), seconds.map((s) => s.errors), seconds.map((s) => s.throttles), seconds.map((s) => s.coldStarts)];
}

/** A latency distribution: bars per log-spaced bucket (x: bucket index, labelled with its upper bound). */
export function latencyOptions(boundsMs, label, color) {
  return (width) => ({
    width,
    height: 170,
    scales: { x: { time: false, range: [-0.5, boundsMs.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    series: [{ label: '≤', value: (_u, i) => (i === null ? '–' : ms(boundsMs[i])) }, { label, stroke: color, fill: `${color}55`, paths: uPlot.paths.bars({ size: [0.9, 40] }), points: { show: false } }],
    axes: [{ values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && boundsMs[i] !== undefined ? ms(boundsMs[i]) : '')), space: 40 }, { label: 'invocations', size: 50 }],
  });
}

export function latencyData(boundsMs, distribution) {
  return [boundsMs.map((_, i) => i), distribution.counts];
}

export { COLORS };
