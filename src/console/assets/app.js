// The console page: live status over Server-Sent Events, and panels that read Flint's own APIs.
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { html } from './api.js';
import { useLiveSnapshot } from './live.js';
import { ActivityPanel } from './activity-panel.js';
import { DeadLettersPanel } from './dead-letters-panel.js';
import { FunctionsPanel } from './functions-panel.js';
import { HostsPanel } from './hosts-panel.js';
import { LogsPanel } from './logs-panel.js';

function App() {
  const { snapshot, connected } = useLiveSnapshot();
  const [selected, setSelected] = useState(undefined);
  const status = snapshot?.status;
  return html`
    <header>
      <h1>Flint <span class="muted">console</span></h1>
      <span class=${`live ${connected ? 'on' : 'off'}`} data-live=${connected ? 'on' : 'off'}>${connected ? 'live' : 'connecting…'}</span>
      ${status?.async && html`<span class="muted">async queue ${status.async.queueDepth} · oldest ${(status.async.oldestEventAgeMs / 1000).toFixed(1)} s</span>`}
    </header>
    <main>
      <${FunctionsPanel} status=${status} selected=${selected} onSelect=${setSelected} />
      ${snapshot && html`<${ActivityPanel} series=${snapshot.series} />`}
      ${status && html`<${HostsPanel} status=${status} />`}
      <${LogsPanel} functionName=${selected} />
      <${DeadLettersPanel} deadLetters=${status?.async?.deadLetters} />
    </main>`;
}

const root = document.getElementById('root');
root.textContent = '';
render(html`<${App} />`, root);
