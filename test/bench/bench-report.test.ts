/** The benchmark report's arithmetic and rendering: medians over repetitions, ratios, n/a reasons, SVG plots. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate } from '../../bench/report/aggregate.ts';
import { median } from '../../bench/lib/stats.ts';
import { formatCell, Notes } from '../../bench/report/format.ts';
import { figureTable } from '../../bench/report/markdown-report.ts';
import { emptyResults, recordUnsupported, recordValue } from '../../bench/report/run-results.ts';
import { renderCdf } from '../../bench/report/svg-cdf.ts';
import { renderHistograms } from '../../bench/report/svg-histogram.ts';
import { benchParams, WORKLOADS } from '../../bench/workloads/index.ts';

const params = benchParams(false, { iterations: 1000, measuredMs: 5 });

describe('benchmark report', () => {
  it('takes the median of an odd and an even number of repetitions', () => {
    for (const [values, expected] of [[[3, 1, 2], 2], [[4, 1, 3, 2], 2.5], [[7], 7]] as const) assert.equal(median(values), expected);
  });

  it('shows each target as median [min–max] and divides Flint\'s median by the peer\'s and the baseline\'s', () => {
    const results = emptyResults();
    for (const v of [2, 3, 4]) recordValue(results, 'warm-latency.p50.hello', 'flint', v);
    for (const v of [1, 1.5, 2]) recordValue(results, 'warm-latency.p50.hello', 'peer', v);
    for (const v of [0.5, 1, 1]) recordValue(results, 'warm-latency.p50.hello', 'baseline', v);
    const row = aggregate(results, WORKLOADS, params).find((r) => r.spec.id === 'warm-latency.p50.hello')!;
    assert.deepEqual(row.cells.flint, { state: 'value', median: 3, min: 2, max: 4, n: 3 });
    assert.equal(row.flintToPeer, 2);
    assert.equal(row.flintToBaseline, 3);
    assert.equal(formatCell(row.cells.flint, 'ms', 3, () => ''), '3.00 [2.00–4.00]');
  });

  it('gives no ratio where the peer cannot do a workload, and prints its reason under the table', () => {
    const results = emptyResults();
    recordValue(results, 'cold-start.pool.p50.hello', 'flint', 10);
    recordValue(results, 'cold-start.pool.p50.hello', 'baseline', 100);
    recordUnsupported(results, 'cold-start.pool.p50.hello', 'peer', 'no pool');
    const rows = aggregate(results, WORKLOADS, params).filter((r) => r.spec.id === 'cold-start.pool.p50.hello');
    assert.equal(rows[0]!.flintToPeer, undefined);
    const table = figureTable(rows, 1).join('\n');
    assert.match(table, /\| 10\.0 \| n\/a \(1\) \| 100 \| — \| 0\.10× \|/);
    assert.match(table, /\(1\) no pool/);
  });

  it('marks a figure that no repetition produced as failed, and one that some produced with how many', () => {
    const results = emptyResults();
    recordValue(results, 'throughput.c1.hello', 'flint', 500);
    const row = aggregate(results, WORKLOADS, params).find((r) => r.spec.id === 'throughput.c1.hello')!;
    assert.equal(row.cells.peer.state, 'failed');
    assert.equal(formatCell(row.cells.flint, 'invokes/s', 3, new Notes().mark), '500 (1 of 3 runs)');
  });

  it('renders CDFs and histograms as standalone SVG with one line or panel per series, escaping names', () => {
    const series = [{ name: 'flint <pool>', samples: [1, 2, 3, 4, 50] }, { name: 'peer', samples: [0.5, 0.7, 0.9] }, { name: 'empty', samples: [] }];
    const cdf = renderCdf('t', series);
    assert.match(cdf, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(cdf.match(/<polyline/g)?.length, 2);
    assert.ok(cdf.includes('flint &#60;pool&#62;') && !cdf.includes('<pool>'));
    assert.equal(renderHistograms('t', series).match(/: n=/g)?.length, 2);
  });
});
