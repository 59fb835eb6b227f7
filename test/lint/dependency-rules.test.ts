/**
 * The import rules of .dependency-cruiser.cjs catch what they are written for: the project's own
 * config is run over a small tree holding one deliberate violation of each rule (and imports the
 * rules allow), and exactly the violations are reported. Deleting or loosening a rule fails this.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

/** The fixture tree: file -> its imports (every imported file exists, holding `export {};`). */
const TREE: Record<string, string[]> = {
  'src/worker-host/uses-placement.ts': ["import type { PlacedHost } from '../placement/index.ts';"],
  'src/worker-host/uses-worker-manager.ts': ["import { WorkerManager } from '../worker-manager/index.ts';"],
  'src/worker-host/uses-model.ts': ["import type { HostSandbox } from '../model/index.ts';"],
  'src/frontend/uses-counting-type.ts': ["import type { CountingService } from '../counting/index.ts';"],
  'src/frontend/uses-worker-manager.ts': ["import { WorkerManager } from '../worker-manager/index.ts';"],
  'src/frontend/uses-model.ts': ["import type { FunctionVersionConfig } from '../model/index.ts';"],
  'src/cli/opens-db-command.ts': ["import { openSqliteStorage } from '../storage/index.ts';"],
  'src/control-plane/uses-sqlite.ts': ["import { DatabaseSync } from 'node:sqlite';"],
  'src/async-invoke/uses-pg.ts': ["import pg from 'pg';"],
  'src/storage/sqlite/sqlite-thing.ts': ["import { DatabaseSync } from 'node:sqlite';"],
  'src/storage/postgres/pg-thing.ts': ["import pg from 'pg';"],
  // the one command allowed to open storage (a join token's digest is stored before anyone trusts it)
  'src/cli/token-command.ts': ["import { openSqliteStorage } from '../storage/index.ts';"],
  // `flint worker` starts a worker host, as `flint serve` starts Flint
  'src/cli/worker-command.ts': ["import { startWorkerNode } from '../worker-main.ts';"],
  'src/worker-main.ts': [],
  'src/cli/reads-logs-command.ts': ["import { FileLogStore } from '../worker-host/index.ts';"],
  'src/cli/uses-config-command.ts': ["import { resolveConfig } from '../config/index.ts';", "import { FlintClient } from './flint-client.ts';"],
  'src/cli/serve-command.ts': ["import { startFlint } from '../main.ts';", "import { describeHostAccess } from '../worker-host/index.ts';"],
  'src/status/reaches-into-api.ts': ["import { createApiServer } from '../api/api-server.ts';"],
  'src/api/uses-status-internals.ts': ["import { FlintMetrics } from '../status/flint-metrics.ts';"],
  'src/worker-manager/testing/fake-host.ts': ["import { functionVersion } from '../../model/testing/function-version.ts';"],
  'src/worker-manager/uses-a-fake.ts': ["import { functionVersion } from '../model/testing/function-version.ts';"],
  'src/main.ts': [],
};

const EXPECTED = [
  'cli-never-opens-the-database src/cli/opens-db-command.ts -> src/storage/index.ts',
  'cli-talks-http src/cli/opens-db-command.ts -> src/storage/index.ts',
  'cli-talks-http src/cli/reads-logs-command.ts -> src/worker-host/index.ts',
  'component-internals-private src/api/uses-status-internals.ts -> src/status/flint-metrics.ts',
  'component-internals-private src/status/reaches-into-api.ts -> src/api/api-server.ts',
  'frontend-depends-on-its-ports src/frontend/uses-counting-type.ts -> src/counting/index.ts',
  'frontend-depends-on-its-ports src/frontend/uses-worker-manager.ts -> src/worker-manager/index.ts',
  'pg-only-in-its-adapter src/async-invoke/uses-pg.ts -> pg',
  'production-does-not-import-test-support src/worker-manager/uses-a-fake.ts -> src/model/testing/function-version.ts',
  'sqlite-only-in-its-adapter src/control-plane/uses-sqlite.ts -> node:sqlite',
  'worker-host-below-placement src/worker-host/uses-placement.ts -> src/placement/index.ts',
  'worker-host-below-placement src/worker-host/uses-worker-manager.ts -> src/worker-manager/index.ts',
];

interface CruiseResult {
  summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
}

describe('the import rules in .dependency-cruiser.cjs', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flint-depcruise-'));
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    for (const [file, imports] of Object.entries(TREE)) {
      write(file, `${imports.join('\n')}\nexport {};\n`);
      for (const line of imports) {
        const specifier = /from '([^']+)'/.exec(line)![1]!;
        if (!specifier.startsWith('.')) continue; // a built-in or a package
        const target = join(dirname(file), specifier);
        if (!(target in TREE)) write(target, 'export {};\n');
      }
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('report every deliberate violation, and only those, when run with the project config', async () => {
    const out = await run(process.execPath, [DEPCRUISE, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: dir, maxBuffer: 16 << 20 }).then(
      (r) => r.stdout,
      (err: { stdout: string }) => err.stdout, // exits non-zero when it finds violations
    );
    const { summary } = JSON.parse(out) as CruiseResult;
    const found = summary.violations.map((v) => `${v.rule.name} ${v.from} -> ${v.to}`).sort();
    assert.deepEqual(found, EXPECTED);
  });
});
