// The log tail of one function: follows GET /flint/logs/NAME with the token it returns (what `flint logs --follow` does).
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, html } from './api.js';
import { time } from './format.js';

const KEEP_LINES = 300;

export function LogsPanel({ functionName }) {
  const [lines, setLines] = useState([]);
  const [error, setError] = useState(undefined);
  const box = useRef(null);
  useEffect(() => {
    if (!functionName) return undefined;
    setLines([]);
    let token = '';
    let stopped = false;
    const follow = async () => {
      try {
        const page = await getJson(`/flint/logs/${encodeURIComponent(functionName)}?NextToken=${encodeURIComponent(token)}`);
        if (stopped) return;
        token = page.NextToken;
        if (page.Events.length > 0) setLines((old) => [...old, ...page.Events].slice(-KEEP_LINES));
        setError(undefined);
      } catch (err) {
        if (!stopped) setError(String(err.message ?? err));
      }
      if (!stopped) timer = setTimeout(follow, 1000);
    };
    let timer = setTimeout(follow, 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [functionName]);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);
  return html`
    <section class="panel">
      <h2>Log tail ${functionName ? html`<span class="muted">/aws/lambda/${functionName}</span>` : ''}</h2>
      ${error && html`<p class="error">${error}</p>`}
      ${!functionName
        ? html`<p class="muted">Pick a function above to follow its log group.</p>`
        : html`<pre class="logs" ref=${box} data-logs=${functionName}>${lines.length === 0 ? 'no events yet' : lines.map((e) => `${time(e.Timestamp)}  ${e.Message.replace(/\n$/, '')}\n`).join('')}</pre>`}
    </section>`;
}
