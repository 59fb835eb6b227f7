/**
 * Ranks where a V8 CPU profile's time went: self time by source (package, Node internal module,
 * Flint file) and the top functions by self time. `node bench/lib/profile-summary.ts a.cpuprofile [...]`
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function source(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').replace(/\/[^/]+$/, (m) => (url.includes('internal/') ? m : m));
  const src = /\/(src|bench|test)\/(.*)$/.exec(url);
  return src ? `${src[1]}/${src[2]}` : url;
}

for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const bySource = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const s = source(n.callFrame.url, n.callFrame.functionName);
    bySource.set(s, (bySource.get(s) ?? 0) + us);
    const f = `${n.callFrame.functionName || '(anonymous)'} ${s}:${n.callFrame.lineNumber + 1}`;
    byFn.set(f, (byFn.get(f) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const busy = total - (bySource.get('(idle)') ?? 0);
  process.stdout.write(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(2)} s busy\n  by source (self):\n`);
  for (const [s, us] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, 18)) process.stdout.write(`    ${pct(us).padStart(6)}  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${s}\n`);
  process.stdout.write('  top functions (self):\n');
  for (const [f, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 22)) process.stdout.write(`    ${pct(us).padStart(6)}  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${f}\n`);
}
