/** In-memory stand-ins for the cluster's store ports, for unit tests of the logic above them. */
import type { ConcurrencyShareStore, FrontEndRecord, FrontEndStore } from '../../storage/index.ts';

export class MemoryShareStore implements ConcurrencyShareStore {
  readonly shares = new Map<string, { share: number; expiresMs: number }>();
  failing = false;

  async claim(holder: string, want: number, limit: number, nowMs: number, ttlMs: number): Promise<number> {
    if (this.failing) throw new Error('database unreachable');
    let others = 0;
    for (const [h, s] of this.shares) if (h !== holder && s.expiresMs > nowMs) others += s.share;
    const share = Math.max(0, Math.min(want, limit - others));
    this.shares.set(holder, { share, expiresMs: nowMs + ttlMs });
    return share;
  }

  async release(holder: string): Promise<void> {
    this.shares.delete(holder);
  }
}

export class MemoryFrontEndStore implements FrontEndStore {
  readonly rows = new Map<string, FrontEndRecord>();
  failing = false;

  async announce(frontEnd: FrontEndRecord): Promise<void> {
    if (this.failing) throw new Error('database unreachable');
    this.rows.set(frontEnd.id, frontEnd);
  }

  async remove(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async list(): Promise<FrontEndRecord[]> {
    if (this.failing) throw new Error('database unreachable');
    return [...this.rows.values()];
  }
}
