// The dead-letter store of asynchronous invocations, with redrive (the console's one write action).
import { useState } from 'preact/hooks';
import { getJson, html, postJson } from './api.js';
import { usePolling } from './live.js';

export function DeadLettersPanel({ deadLetters }) {
  const [letters, setLetters] = useState(undefined);
  const [message, setMessage] = useState(undefined);
  const load = async () => {
    try {
      setLetters((await getJson('/flint/dlq?MaxItems=100')).DeadLetters);
    } catch (err) {
      setMessage(`could not read the dead-letter store: ${err.message ?? err}`);
    }
  };
  usePolling(load, 5000, [deadLetters]);
  const redrive = async (id) => {
    try {
      const { Redriven } = await postJson(`/flint/dlq/${id}/redrive`);
      setMessage(Redriven ? `dead letter ${id} is back in the queue` : `dead letter ${id} was already gone`);
    } catch (err) {
      setMessage(`redrive of ${id} failed: ${err.message ?? err}`);
    }
    await load();
  };
  return html`
    <section class="panel wide">
      <h2>Dead letters <span class="muted" data-dead-letters>${deadLetters ?? '–'}</span></h2>
      ${message && html`<p class="notice" data-notice>${message}</p>`}
      ${letters === undefined
        ? html`<p class="muted">Loading…</p>`
        : letters.length === 0
          ? html`<p class="muted">The dead-letter store is empty.</p>`
          : html`<table>
              <thead><tr><th>id</th><th>function</th><th>condition</th><th>invokes</th><th>accepted</th><th>failed</th><th>request id</th><th></th></tr></thead>
              <tbody>
                ${letters.map(
                  (l) => html`<tr key=${l.Id} data-letter=${l.Id}>
                    <td>${l.Id}</td>
                    <td>${l.FunctionName}${l.Qualifier ? `:${l.Qualifier}` : ''}</td>
                    <td>${l.Condition}</td>
                    <td>${l.ApproximateInvokeCount}</td>
                    <td>${l.AcceptedAt}</td>
                    <td>${l.FailedAt}</td>
                    <td class="mono">${l.RequestId}</td>
                    <td><button onClick=${() => redrive(l.Id)} data-redrive=${l.Id}>Redrive</button></td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
    </section>`;
}
