import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { functionVersion } from '../../model/testing/function-version.ts';
import { openSqliteStorage } from '../sqlite/index.ts';
import { EnvironmentCipher, SealedEnvironmentError } from './environment-cipher.ts';
import { sealingEnvironments } from './sealed-storage.ts';

const dir = mkdtempSync(join(tmpdir(), 'flint-sealing-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const key = randomBytes(32);
const record = (name: string) => ({ name, createdMs: 0, tags: {}, reservedConcurrency: undefined });

/** Every byte of the database's files (main file, WAL and shared memory). */
function databaseBytes(path: string): Buffer {
  const base = path.split('/').pop()!;
  return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith(base)).map((f) => readFileSync(join(dir, f))));
}

describe('EnvironmentCipher', () => {
  const cipher = new EnvironmentCipher(key);

  it('opens what it sealed, with a fresh nonce every time', () => {
    const vars = { SECRET: 'hunter2', EMPTY: '', UNICODE: 'é€😀' };
    const a = cipher.seal('f', '$LATEST', vars);
    const b = cipher.seal('f', '$LATEST', vars);
    assert.notEqual(a, b);
    assert.ok(!a.includes('hunter2'));
    assert.deepEqual(cipher.open('f', '$LATEST', a), vars);
  });

  it('refuses a value moved to another row, tampered with, or sealed under another key', () => {
    const sealed = cipher.seal('f', '1', { A: 'b' });
    assert.throws(() => cipher.open('f', '2', sealed), SealedEnvironmentError);
    assert.throws(() => cipher.open('g', '1', sealed), SealedEnvironmentError);
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    assert.throws(() => cipher.open('f', '1', `v1:${raw.toString('base64')}`), SealedEnvironmentError);
    assert.throws(() => cipher.open('f', '1', 'v1:AAAA'), /truncated/);
    assert.throws(() => cipher.open('f', '1', 'v9:AAAA'), /unknown format/);
    assert.throws(() => new EnvironmentCipher(randomBytes(32)).open('f', '1', sealed), SealedEnvironmentError);
  });
});

describe('sealingEnvironments over SQLite', () => {
  it('the database file never holds a value, and every read gives the variables back', async () => {
    const path = join(dir, `flint-${++files}.db`);
    const marker = `marker-${randomBytes(8).toString('hex')}`;
    const storage = await sealingEnvironments(openSqliteStorage(path), key);
    await storage.functions.insertFunction(record('f'), functionVersion('f', { environment: { SECRET: marker } }));
    await storage.functions.insertVersion(functionVersion('f', { version: '1', environment: { SECRET: marker } }));
    await storage.transaction(async (tx) => {
      await tx.functions.updateVersion('f', '$LATEST', (c) => ({ ...c, environment: { SECRET: marker, MORE: `${marker}-2` } }));
    });
    assert.deepEqual((await storage.functions.getVersion('f', '$LATEST'))?.environment, { SECRET: marker, MORE: `${marker}-2` });
    assert.deepEqual((await storage.functions.listVersions('f')).map((c) => c.environment.SECRET), [marker, marker]);
    assert.deepEqual((await storage.functions.list({ limit: 10, allVersions: true })).map((c) => c.environment.SECRET), [marker, marker]);
    assert.equal((await storage.functions.getVersion('f', '1')) && 'sealedEnvironment' in (await storage.functions.getVersion('f', '1'))!, false);
    assert.ok(!databaseBytes(path).includes(marker), 'a value is in the database file in the clear');
    assert.ok(databaseBytes(path).includes('sealedEnvironment'), 'the sealed form is what the file holds');
    await storage.close();
    assert.ok(!databaseBytes(path).includes(marker), 'a value is in the database file after close');
  });

  it('an update that changes nothing writes nothing, and a function without variables stores none', async () => {
    const path = join(dir, `flint-${++files}.db`);
    const storage = await sealingEnvironments(openSqliteStorage(path), key);
    await storage.functions.insertFunction(record('plain'), functionVersion('plain'));
    const same = await storage.functions.updateVersion('plain', '$LATEST', (c) => c);
    assert.deepEqual(same?.environment, {});
    assert.ok(!databaseBytes(path).includes('sealedEnvironment'));
    await storage.close();
  });

  it('seals at start the rows an older Flint wrote in the clear (the upgrade), and opens them after', async () => {
    const path = join(dir, `flint-${++files}.db`);
    const marker = `legacy-${randomBytes(8).toString('hex')}`;
    const old = openSqliteStorage(path);
    for (const name of ['a', 'b']) {
      await old.functions.insertFunction(record(name), functionVersion(name, { environment: { SECRET: marker } }));
      await old.functions.insertVersion(functionVersion(name, { version: '1', environment: { SECRET: marker } }));
    }
    await old.close();
    assert.ok(databaseBytes(path).includes(marker), 'the fixture holds the value in the clear');

    const upgraded = await sealingEnvironments(openSqliteStorage(path), key);
    await upgraded.close();
    assert.ok(!databaseBytes(path).includes(marker), 'a value written in the clear survives in the file (freed page or WAL frame)');
    const again = await sealingEnvironments(openSqliteStorage(path), key);
    for (const name of ['a', 'b']) {
      assert.deepEqual((await again.functions.getVersion(name, '$LATEST'))?.environment, { SECRET: marker });
      assert.deepEqual((await again.functions.getVersion(name, '1'))?.environment, { SECRET: marker });
    }
    const raw = openSqliteStorage(path);
    for (const c of await raw.functions.list({ limit: 10, allVersions: true })) {
      assert.deepEqual(c.environment, {}, `${c.functionName}:${c.version} still holds its variables in the clear`);
    }
    await raw.close();
    await again.close();
  });
});
