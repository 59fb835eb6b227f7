/**
 * `npm run bench` cannot rot: the runner's quick mode runs every workload on Flint,
 * the peer and the baseline, and must write a complete report.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { requirePrerequisite } from '../helpers/prerequisite.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SECTIONS = [
  '## Setup', '## Headline', '## Warm invoke latency, concurrency 1', '## Warm throughput', '## Async accepted-to-executed throughput', '## SQS event source mapping: SendMessageBatch to handler start',
  '## Scale from 0 to N concurrent sandboxes', '## Cold start', '## Idle sandbox memory (PSS)', '## What the peer cannot do', '## Component benchmarks', '## Plots',
];

interface FigureJson {
  readonly id: string;
  readonly flint: { readonly state: string };
  readonly peer: { readonly state: string; readonly reason?: string };
  readonly baseline: { readonly state: string; readonly reason?: string };
}

function runQuick(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bench/run.ts', '--quick', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.once('exit', (code) => done({ code, output }));
  });
}

describe('bench runner, quick mode', () => {
  it('writes report.md with every section, report.json with figures for Flint, the peer and the baseline, and SVG latency plots', { timeout: 300_000 }, async (t) => {
    const out = mkdtempSync(join(tmpdir(), 'flint-bench-test-'));
    try {
      const { code, output } = await runQuick(out);
      assert.equal(code, 0, output);
      assert.match(output, /\[\d\d:\d\d\.\d\] repetition 1\/1 · flint · Warm invoke latency/, 'prints progress');
      assert.ok(output.includes(`Report: ${join(out, 'report.md')}`), 'names the report at the end');
      const md = readFileSync(join(out, 'report.md'), 'utf8');
      for (const section of SECTIONS) assert.ok(md.includes(`\n${section}\n`), `report.md has "${section}"`);
      assert.doesNotMatch(md, /## Failures|FAILED/);
      assert.match(md, /### `node bench\/sandbox-start\.ts 3 2`\n\n.*\(took \d+ s\)\.\n\n```text\n[\s\S]*idle PSS per sandbox cell/, 'runs the sandbox benchmark under bench/ and shows its output');
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { figures: FigureJson[]; plots: Array<{ file: string }> };
      assert.ok(report.figures.length >= 10);
      const peerInstalled = !md.includes('the peer could not be installed');
      for (const f of report.figures) {
        assert.equal(f.flint.state, 'value', `${f.id}: Flint has a figure`);
        // Flint-only workloads (queues) give the baseline a reason instead of a figure
        assert.ok(f.baseline.state === 'value' || (f.baseline.state === 'unsupported' && (f.baseline.reason ?? '') !== ''), `${f.id}: the baseline has a figure or a reason`);
        assert.ok(f.peer.state === 'value' || (f.peer.state === 'unsupported' && (f.peer.reason ?? '') !== ''), `${f.id}: the peer has a figure or a reason`);
      }
      const peerMissing = requirePrerequisite('the benchmark peer', peerInstalled, 'the report says it could not be installed (node bench/install-peer.ts installs it)');
      if (peerMissing) t.skip(`the peer's figures were not checked: ${peerMissing}`);
      else assert.equal(report.figures.find((f) => f.id === 'warm-latency.p50.hello')?.peer.state, 'value');
      assert.ok(report.plots.length >= 4);
      for (const plot of report.plots) {
        assert.ok(existsSync(join(out, plot.file)), plot.file);
        assert.match(readFileSync(join(out, plot.file), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<polyline|<rect/);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
