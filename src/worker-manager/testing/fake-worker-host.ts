/** In-memory worker host and function versions for the worker manager's unit tests. */
import type { FunctionVersionConfig, HostSandbox, InitializationType, InvocationOutcome, WorkerHostPort } from '../../model/index.ts';

/** A function version for the worker manager's tests (the one builder in model/testing). */
export { functionVersion as version } from '../../model/testing/function-version.ts';

export class FakeSandbox implements HostSandbox {
  readonly id: string;
  readonly hostId: string;
  readonly memoryMb: number;
  readonly initType: InitializationType;
  readonly initError: string | undefined;
  alive = true;
  destroyedFor: string | undefined;
  readonly #host: FakeHost;

  constructor(host: FakeHost, id: string, memoryMb: number, initType: InitializationType, initError: string | undefined) {
    this.#host = host;
    this.id = id;
    this.hostId = host.id;
    this.memoryMb = memoryMb;
    this.initType = initType;
    this.initError = initError;
  }

  async invoke(): Promise<InvocationOutcome> {
    return { payload: Buffer.from('{}'), durationMs: 1 };
  }

  async destroy(reason: string): Promise<void> {
    this.destroyedFor ??= reason;
    this.alive = false;
    this.#host.live.delete(this);
  }
}

/** Counts memory like the real host: from the start of createSandbox until destruction starts. */
export class FakeHost implements WorkerHostPort {
  readonly id: string;
  readonly live = new Set<FakeSandbox>();
  readonly created: FakeSandbox[] = [];
  startingMb = 0;
  /** errorType every new sandbox's init fails with, if set. */
  initError: string | undefined;
  /** Makes createSandbox wait (to hold several cold starts in flight). */
  gate: Promise<void> | undefined;

  constructor(id = 'h') {
    this.id = id;
  }

  async createSandbox(v: FunctionVersionConfig, initType: InitializationType): Promise<HostSandbox> {
    this.startingMb += v.memorySizeMb;
    try {
      await this.gate;
      const s = new FakeSandbox(this, `${v.functionName}-${this.created.length}`, v.memorySizeMb, initType, this.initError);
      this.created.push(s);
      this.live.add(s);
      return s;
    } finally {
      this.startingMb -= v.memorySizeMb;
    }
  }

  memoryInUseMb(): number {
    let mb = this.startingMb;
    for (const s of this.live) mb += s.memoryMb;
    return mb;
  }
}
