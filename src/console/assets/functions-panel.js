// Functions with their versions, aliases, reserved and provisioned concurrency, URL, and their sandboxes now.
import { useState } from 'preact/hooks';
import { getJson, html } from './api.js';
import { usePolling } from './live.js';
import { sum } from './format.js';

export function FunctionsPanel({ status, selected, onSelect }) {
  const [functions, setFunctions] = useState(undefined);
  const [error, setError] = useState(undefined);
  const known = (status?.sandboxes ?? []).map((r) => r.function).sort().join(',');
  usePolling(
    async () => {
      try {
        setFunctions((await getJson('/console/api/functions')).Functions);
        setError(undefined);
      } catch (err) {
        setError(String(err.message ?? err));
      }
    },
    5000,
    [known],
  );
  const rows = status?.sandboxes ?? [];
  return html`
    <section class="panel wide">
      <h2>Functions ${functions ? html`<span class="muted">${functions.length}</span>` : ''}</h2>
      ${error && html`<p class="error">${error}</p>`}
      ${functions === undefined
        ? html`<p class="muted">Loading…</p>`
        : functions.length === 0
          ? html`<p class="muted">No functions yet.</p>`
          : html`<table>
              <thead><tr><th>name</th><th>runtime</th><th>memory</th><th>last modified</th><th>versions</th><th>aliases</th><th>reserved</th><th>provisioned</th><th>sandboxes (idle / busy)</th><th>URL</th></tr></thead>
              <tbody>
                ${functions.map((f) => html`<${FunctionRow} key=${f.name} fn=${f} rows=${rows.filter((r) => r.function === f.name)} selected=${selected === f.name} onSelect=${onSelect} />`)}
              </tbody>
            </table>`}
    </section>`;
}

function FunctionRow({ fn, rows, selected, onSelect }) {
  const idle = sum(rows, (r) => r.idle);
  const busy = sum(rows, (r) => r.busy);
  return html`
    <tr class=${selected ? 'selected' : ''} data-function=${fn.name}>
      <td><button class="link" title="show its log tail" onClick=${() => onSelect(fn.name)}>${fn.name}</button></td>
      <td>${fn.runtime ?? '–'}</td>
      <td>${fn.memoryMb ?? '–'} MB</td>
      <td>${fn.lastModified ? fn.lastModified.slice(0, 19).replace('T', ' ') : '–'}</td>
      <td>${fn.versions.length ? fn.versions.join(', ') : html`<span class="muted">$LATEST only</span>`}</td>
      <td>${fn.aliases.length ? fn.aliases.map((a) => html`<span class="tag">${a.name} → ${a.version}${Object.entries(a.weights).map(([v, w]) => ` + ${v} ${Math.round(w * 100)}%`).join('')}</span>`) : '–'}</td>
      <td>${fn.reservedConcurrency ?? '–'}</td>
      <td>${fn.provisioned.length ? fn.provisioned.map((p) => html`<span class="tag">${p.qualifier}: ${p.available}/${p.requested} ${p.status}</span>`) : '–'}</td>
      <td><b data-sandboxes=${fn.name}>${idle + busy}</b> <span class="muted">(${idle} / ${busy})</span></td>
      <td>${fn.url ? html`<a href=${fn.url}>${fn.url}</a>` : ''}</td>
    </tr>`;
}
