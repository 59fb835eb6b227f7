// Small formatting helpers shared by the panels.

export function ms(value) {
  if (value === null || value === undefined) return '–';
  if (value < 1) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
  return `${(value / 1000).toFixed(value < 10_000 ? 2 : 0)} s`;
}

export function mib(bytes) {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function sum(rows, pick) {
  return rows.reduce((total, row) => total + pick(row), 0);
}

export function time(timestampMs) {
  return new Date(timestampMs).toISOString().slice(11, 23);
}
