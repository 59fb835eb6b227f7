import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDomainError, Throttled } from '../model/index.ts';
import { CountingService } from './counting-service.ts';

const reasonOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof Throttled) return err.reason;
    if (isDomainError(err)) return err.kind;
    throw err;
  }
};

describe('CountingService', () => {
  it('takes reservations and provisioned concurrency out of the unreserved pool', () => {
    const c = new CountingService({ accountLimit: 1000, minUnreserved: 100 });
    c.setReservation('a', 200);
    c.setProvisioned('b', 50);
    assert.equal(c.unreservedLimit(), 750);
    c.setProvisioned('a', 100); // within a's reservation: no further change
    assert.equal(c.unreservedLimit(), 750);
    c.setReservation('a', undefined); // a now holds its provisioned 100 only
    assert.equal(c.unreservedLimit(), 850);
    c.setProvisioned('a', 0);
    c.setProvisioned('b', 0);
    assert.equal(c.unreservedLimit(), 1000);
  });

  it('refuses a reservation past the unreserved minimum unless restoring', () => {
    const c = new CountingService({ accountLimit: 1000, minUnreserved: 100 });
    assert.equal(reasonOf(() => c.setReservation('a', 901)), 'ReservationBelowMinimum');
    c.setReservation('a', 950, { enforceMinimum: false });
    assert.equal(c.unreservedLimit(), 50);
  });

  it('runs the first executions of a provisioned function on its own share, then in the pool', () => {
    const c = new CountingService({ accountLimit: 3, minUnreserved: 0 });
    c.setProvisioned('p', 2);
    const leases = [c.acquire('p'), c.acquire('p'), c.acquire('p')]; // 2 provisioned + 1 of the pool of 1
    assert.equal(reasonOf(() => c.acquire('p')), 'ConcurrentInvocationLimitExceeded');
    assert.equal(reasonOf(() => c.acquire('other')), 'ConcurrentInvocationLimitExceeded');
    leases[0]!.release();
    leases[0]!.release(); // idempotent
    const again = c.acquire('p'); // the freed provisioned slot
    assert.equal(reasonOf(() => c.acquire('other')), 'ConcurrentInvocationLimitExceeded');
    for (const l of [again, leases[1]!, leases[2]!]) l.release();
    assert.equal(c.inUse().total, 0);
  });

  it("admits unreserved executions within this front end's share and asks for more when it is full", () => {
    let share = 2;
    let asked = 0;
    const c = new CountingService({ accountLimit: 100, minUnreserved: 10, unreservedShare: { current: () => share, exhausted: () => asked++ } });
    c.setReservation('reserved', 5);
    const a = c.acquire('f');
    c.acquire('g');
    assert.equal(c.unreservedInUse(), 2);
    assert.equal(reasonOf(() => c.acquire('f')), 'ConcurrentInvocationLimitExceeded');
    assert.equal(asked, 1);
    assert.equal(reasonOf(() => c.acquire('reserved')), undefined, 'a reservation is not counted against the share');
    assert.equal(asked, 1);
    share = 3;
    assert.equal(reasonOf(() => c.acquire('f')), undefined);
    a.release();
    assert.equal(c.unreservedInUse(), 2);
  });
});
