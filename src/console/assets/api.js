// Reads and the one write (redrive) against Flint's own HTTP APIs, and the html tag the panels render with.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);

/** The JSON answer of GET `url`; an error with Lambda's message otherwise. */
export async function getJson(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  return answer(res);
}

export async function postJson(url) {
  const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json' } });
  return answer(res);
}

async function answer(res) {
  const text = await res.text();
  const body = text === '' ? {} : JSON.parse(text);
  if (!res.ok) throw new Error(body.message ?? body.Message ?? `${res.status} ${res.statusText}`);
  return body;
}
