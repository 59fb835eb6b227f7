import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from './database.ts';
import { Queries } from './queries.ts';

function table(): Queries {
  const q = new Queries(openDatabase(':memory:', [{ version: 1, name: 'kv', sql: 'CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL) STRICT' }]));
  q.run('INSERT INTO kv (k, v) VALUES (?, ?), (?, ?)', 'a', 1, 'b', 2);
  return q;
}

describe('Queries', () => {
  it('reads typed rows, one or all, and undefined when there is none', () => {
    const q = table();
    assert.equal(q.get<{ v: number }>('SELECT v FROM kv WHERE k = ?', 'b')?.v, 2);
    assert.equal(q.get('SELECT v FROM kv WHERE k = ?', 'z'), undefined);
    assert.deepEqual(q.all<{ k: string }>('SELECT k FROM kv ORDER BY k').map((r) => r.k), ['a', 'b']);
  });

  it('says whether a write changed a row', () => {
    const q = table();
    assert.equal(q.run('UPDATE kv SET v = 3 WHERE k = ?', 'a'), true);
    assert.equal(q.run('UPDATE kv SET v = 3 WHERE k = ?', 'z'), false);
    assert.equal(q.run('INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING', 'a', 9), false);
  });

  it('runs nested atomically blocks as one transaction that rolls back whole', () => {
    const q = table();
    assert.throws(() =>
      q.atomically(() => {
        q.run('DELETE FROM kv WHERE k = ?', 'a');
        q.atomically(() => q.run('DELETE FROM kv WHERE k = ?', 'b'));
        throw new Error('abort');
      }),
    );
    assert.deepEqual(q.all<{ k: string }>('SELECT k FROM kv ORDER BY k').map((r) => r.k), ['a', 'b']);
  });

  it('rolls back only an inner block that throws inside an open transaction (a savepoint)', () => {
    const q = table();
    q.atomically(() => {
      q.run('DELETE FROM kv WHERE k = ?', 'a');
      assert.throws(() =>
        q.atomically(() => {
          q.run('DELETE FROM kv WHERE k = ?', 'b');
          throw new Error('abort');
        }),
      );
    });
    assert.deepEqual(q.all<{ k: string }>('SELECT k FROM kv ORDER BY k').map((r) => r.k), ['b']);
  });
});
