// Every worker host and its sandboxes: warm idle, busy, provisioned (by function version), and the pre-started pool.
import { html } from './api.js';
import { mib, sum } from './format.js';

export function HostsPanel({ status }) {
  const hosts = status.hosts ?? [];
  const rows = status.sandboxes ?? [];
  const c = status.concurrency;
  return html`
    <section class="panel">
      <h2>Hosts and sandboxes</h2>
      <p class="muted">
        isolation: ${status.isolation?.driver ?? 'none in this process'}
        ${c ? html` · concurrency ${c.inUse} in use of ${c.accountLimit} (unreserved ${c.unreservedLimit})` : ''}
        ${status.frontEnds?.length > 1 ? html` · ${status.frontEnds.length} front ends` : ''}
      </p>
      ${hosts.length === 0 ? html`<p class="muted">No worker host.</p>` : hosts.map((host) => html`<${Host} key=${host.id} host=${host} rows=${rows.filter((r) => r.host === host.id)} status=${status} />`)}
    </section>`;
}

function Host({ host, rows, status }) {
  // The pool belongs to the worker host in this process (the one without an endpoint of its own).
  const local = host.endpoint === undefined;
  const pooled = local ? sum(Object.values(status.pool ?? {}), (n) => n) : undefined;
  const state = host.draining ? 'draining' : host.healthy === false ? 'unhealthy' : 'healthy';
  const counts = { idle: sum(rows, (r) => r.idle), busy: sum(rows, (r) => r.busy), provisioned: sum(rows, (r) => r.provisioned) };
  return html`
    <div class="host" data-host=${host.id}>
      <div class="host-head">
        <b>${host.id}</b>
        <span class=${`badge ${state}`}>${state}</span>
        <span class="muted">${local ? 'in this process' : host.endpoint} · ${host.memoryInUseMb} / ${host.memoryBudgetMb} MB</span>
      </div>
      <div class="counts">
        <span class="count idle"><b data-host-count="idle">${counts.idle}</b> warm idle</span>
        <span class="count busy"><b data-host-count="busy">${counts.busy}</b> busy</span>
        <span class="count provisioned"><b data-host-count="provisioned">${counts.provisioned}</b> provisioned</span>
        <span class="count pooled"><b data-host-count="pooled">${pooled ?? '–'}</b> pooled${local && status.poolMemoryBytes ? ` (${mib(status.poolMemoryBytes)})` : ''}</span>
      </div>
      ${rows.length > 0 &&
      html`<table class="compact">
        <thead><tr><th>function:version</th><th>idle</th><th>busy</th><th>provisioned</th></tr></thead>
        <tbody>
          ${rows.map((r) => html`<tr key=${`${r.function}:${r.version}`}><td>${r.function}:${r.version}</td><td>${r.idle}</td><td>${r.busy}</td><td>${r.provisioned}</td></tr>`)}
        </tbody>
      </table>`}
      ${local && Object.keys(status.pool ?? {}).length > 0 && html`<p class="muted small">pool: ${Object.entries(status.pool).map(([kind, n]) => `${kind} ${n}`).join(' · ')}</p>`}
    </div>`;
}
