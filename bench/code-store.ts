/**
 * Code store benchmark: the figures the code-store tests used to assert as time limits.
 * Extracting a 1000-file package (40 folders) and putting then getting a 10 MB package
 * through the encrypted file store, each repeated, as p50 and max in milliseconds.
 *
 * Run: node_modules/.bin/node bench/code-store.ts [repetitions=10]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCodeStore, extractPackage } from '../src/code-store/index.ts';
import { yazlZip } from '../test/code-store/zip-fixtures.ts';

const repetitions = Number(process.argv[2] ?? 10);

async function measure(what: string, fn: (i: number) => Promise<unknown>): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor(samples.length / 2)]!;
  console.log(`${what.padEnd(44)} p50 ${p50.toFixed(1).padStart(7)} ms   max ${samples.at(-1)!.toFixed(1).padStart(7)} ms   (${repetitions} runs)`);
}

const dir = await mkdtemp(join(tmpdir(), 'flint-bench-code-store-'));
try {
  const thousandFiles = await yazlZip(Array.from({ length: 1000 }, (_, i) => ({ name: `node_modules/pkg-${i % 40}/file-${i}.js`, data: `module.exports = ${i};\n`.repeat(20) })));
  await measure('extract a 1000-file package', (i) => extractPackage(thousandFiles, join(dir, `extract-${i}`)));
  const store = await FileCodeStore.open(join(dir, 'store'));
  await measure('put then get a 10 MB package (file store)', async () => {
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(10 * 1024 * 1024 - 4)]);
    const { sha256Hex } = await store.put(zip);
    await store.get(sha256Hex);
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
