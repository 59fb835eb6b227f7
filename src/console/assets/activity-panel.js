// Invocations/s, errors, throttles and cold starts over the last minutes, and the warm and cold latency distributions.
import { useMemo } from 'preact/hooks';
import { html } from './api.js';
import { activityData, activityOptions, COLORS, latencyData, latencyOptions, Plot } from './charts.js';
import { ms, sum } from './format.js';

export function ActivityPanel({ series }) {
  const lastMinute = series.seconds.slice(-60);
  const totals = {
    invocations: sum(lastMinute, (s) => s.invocations),
    errors: sum(lastMinute, (s) => s.errors),
    throttles: sum(lastMinute, (s) => s.throttles),
    coldStarts: sum(lastMinute, (s) => s.coldStarts),
  };
  const bounds = series.latency.boundsMs;
  const activity = useMemo(() => activityData(series.seconds), [series]);
  const warm = useMemo(() => latencyData(bounds, series.latency.warm), [series]);
  const cold = useMemo(() => latencyData(bounds, series.latency.cold), [series]);
  const warmOptions = useMemo(() => latencyOptions(bounds, 'warm', COLORS.warm), [bounds.length]);
  const coldOptions = useMemo(() => latencyOptions(bounds, 'cold (init + invoke)', COLORS.cold), [bounds.length]);
  return html`
    <section class="panel wide">
      <h2>Activity <span class="muted">last ${Math.round(series.seconds.length / 60)} minutes, this front end</span></h2>
      <div class="figures">
        <${Figure} label="invocations (1 min)" value=${totals.invocations} id="invocations" />
        <${Figure} label="per second (1 min)" value=${(totals.invocations / 60).toFixed(2)} id="rate" />
        <${Figure} label="errors (1 min)" value=${totals.errors} id="errors" tone=${totals.errors ? 'bad' : ''} />
        <${Figure} label="throttles (1 min)" value=${totals.throttles} id="throttles" tone=${totals.throttles ? 'warn' : ''} />
        <${Figure} label="cold starts (1 min)" value=${totals.coldStarts} id="cold-starts" />
      </div>
      <${Plot} label="activity" makeOptions=${activityOptions} data=${activity} />
      <div class="two">
        <div>
          <h3>Warm latency <span class="muted">${series.latency.warm.samples} samples · p50 ${ms(series.latency.warm.p50Ms)} · p99 ${ms(series.latency.warm.p99Ms)}</span></h3>
          <${Plot} label="warm-latency" makeOptions=${warmOptions} data=${warm} />
        </div>
        <div>
          <h3>Cold latency <span class="muted">${series.latency.cold.samples} samples · p50 ${ms(series.latency.cold.p50Ms)} · p99 ${ms(series.latency.cold.p99Ms)}</span></h3>
          <${Plot} label="cold-latency" makeOptions=${coldOptions} data=${cold} />
        </div>
      </div>
    </section>`;
}

function Figure({ label, value, id, tone = '' }) {
  return html`<div class=${`figure ${tone}`}><b data-figure=${id}>${value}</b><span>${label}</span></div>`;
}
