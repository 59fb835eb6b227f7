/**
 * A discrete-event simulation of Flint's data plane over many hosts, on a virtual clock:
 * the trace's arrivals drive the REAL decisions (placement's `chooseHost` and
 * `planEviction`, the worker manager's `decideScaleUp`, `sandboxesToReclaim`, the keep-alive
 * policies and their idle-time histograms); sandboxes are records, not processes; no timers.
 *
 * Warm reuse: a function's idle sandboxes are a stack ordered by last use, whose top is what
 * `chooseWarmSandbox` picks (most recently used); `checkDecisions` asserts that at every
 * warm start, at the cost of a scan. Keep-alive: the policy's decision when a sandbox goes
 * idle (the live worker manager applies the current decision at each reap). Histogram policy
 * with a pre-warm window: when a function's last invocation ends, its idle sandboxes are
 * unloaded and one sandbox is placed again after the pre-warm window (not a cold start
 * when an invocation then finds it), kept for the keep-alive window; an arrival inside the
 * pre-warm window is a cold start and cancels the pre-warm.
 */
import { chooseHost, planEviction, type EvictableSandbox, type HostView, type PlacementPolicy } from '../../src/placement/index.ts';
import {
  ArrivalTracker, chooseWarmSandbox, decideScaleUp, fixedKeepAlive, histogramKeepAlive, refund, sandboxesToReclaim,
  type KeepAliveDecision, type KeepAlivePolicy, type SandboxView, type ScaleUpBucket, type ScaleUpRate,
} from '../../src/worker-manager/index.ts';
import { defaultMemoryBudgetMb } from '../../src/worker-host/memory-budget.ts';
import { EventHeap, type Timed } from './event-heap.ts';
import { ArrivalStream, makeFunctions, type FunctionSpec, type TraceOptions } from './trace.ts';

export interface SimOptions {
  readonly trace: TraceOptions;
  readonly hosts: number;
  readonly hostMemoryGb: number;
  readonly hours: number;
  /** Measures start after this much simulated time (histograms learn, sandboxes fill up). */
  readonly warmupHours: number;
  readonly keepAlive: 'fixed' | 'histogram';
  readonly fixedKeepAliveMs: number;
  readonly binMs: number;
  readonly bins: number;
  readonly placement: PlacementPolicy;
  /** Measured use of an idle sandbox, as a share of its use while running (at least `idleFloorMb`). */
  readonly idleUseShare: number;
  readonly idleFloorMb: number;
  readonly scaleUp: ScaleUpRate;
  readonly checkDecisions?: boolean;
}

export interface SimResult {
  readonly policy: string;
  readonly invocations: number;
  readonly coldStarts: number;
  /** Refused: scale-up rate, or no host could make room. */
  readonly throttled: number;
  readonly preWarms: number;
  readonly evictions: number;
  readonly coldStartPct: number;
  readonly sandboxesPerHostMean: number;
  readonly sandboxesPerHostP99: number;
  /** Mean over time of the cluster's committed (limits) and measured memory, as a share of the budgets. */
  readonly committedPct: number;
  readonly measuredPct: number;
  readonly peakHostCommittedPct: number;
  /** Idle sandboxes' memory limits x idle time. */
  readonly wastedGbHours: number;
  /** Share of functions whose keep-alive came from their histogram at the end. */
  readonly histogramFunctionsPct: number;
  readonly placements: number;
  readonly placementsPerSec: number;
  /** chooseHost alone in a tight loop over the final hosts (best of 5 rounds): less noisy than the in-simulation figure. */
  readonly chooseHostPerSec: number;
  readonly events: number;
  readonly wallMs: number;
}

const MIN_MS = 60_000;

interface Sandbox extends SandboxView {
  readonly id: string;
  readonly fn: Fn;
  readonly host: Host;
  readonly createdMs: number;
  lastUsedMs: number;
  busy: boolean;
  alive: boolean;
  readonly provisioned: false;
  idleSinceMs: number;
  keepMs: number;
}

interface Fn {
  readonly spec: FunctionSpec;
  readonly stream: ArrivalStream;
  readonly tracker: ArrivalTracker;
  readonly idleUseMb: number;
  /** Idle sandboxes, least recently used first (dead ones are skipped lazily). */
  idle: Sandbox[];
  idleHead: number;
  bucket: ScaleUpBucket | undefined;
  decision: KeepAliveDecision | undefined;
  decidedMs: number;
  /** Bumped at every arrival: a pre-warm scheduled before it is void. */
  epoch: number;
  /** Every live sandbox (only with checkDecisions). */
  all: Set<Sandbox> | undefined;
}

interface Host {
  readonly view: { id: string; healthy: boolean; memoryBudgetMb: number; memoryCommittedMb: number; memoryMeasuredMb: number; sandboxesOfFunction: number };
  readonly perFn: Map<number, number>;
  sandboxes: number;
}

type SimEvent =
  | (Timed & { kind: 'arrive'; fn: Fn })
  | (Timed & { kind: 'complete'; sb: Sandbox })
  | (Timed & { kind: 'expire'; sb: Sandbox; lastUsedMs: number })
  | (Timed & { kind: 'prewarm'; fn: Fn; epoch: number })
  | (Timed & { kind: 'sample' });

export function simulate(o: SimOptions): SimResult {
  const started = performance.now();
  const endMs = o.hours * 3_600_000;
  const warmMs = o.warmupHours * 3_600_000;
  const policy: KeepAlivePolicy = o.keepAlive === 'histogram' ? histogramKeepAlive({ fallback: fixedKeepAlive(o.fixedKeepAliveMs) }) : fixedKeepAlive(o.fixedKeepAliveMs);
  const budgetMb = defaultMemoryBudgetMb(o.hostMemoryGb * 1024 ** 3);
  const hosts: Host[] = Array.from({ length: o.hosts }, (_, i) => ({
    view: { id: `h${String(i).padStart(3, '0')}`, healthy: true, memoryBudgetMb: budgetMb, memoryCommittedMb: 0, memoryMeasuredMb: 0, sandboxesOfFunction: 0 },
    perFn: new Map(),
    sandboxes: 0,
  }));
  const views: HostView[] = hosts.map((h) => h.view);
  const byId = new Map(hosts.map((h) => [h.view.id, h]));
  const idleSet = new Set<Sandbox>();
  const heap = new EventHeap<SimEvent>();
  const fns: Fn[] = makeFunctions(o.trace).map((spec) => ({
    spec,
    stream: new ArrivalStream(spec, o.trace),
    tracker: new ArrivalTracker(o.binMs, o.bins),
    idleUseMb: Math.max(o.idleFloorMb, spec.usedMb * o.idleUseShare),
    idle: [],
    idleHead: 0,
    bucket: undefined,
    decision: undefined,
    decidedMs: -Infinity,
    epoch: 0,
    all: o.checkDecisions === true ? new Set() : undefined,
  }));

  let invocations = 0, coldStarts = 0, throttled = 0, preWarms = 0, evictions = 0, placements = 0, placementNs = 0n, events = 0, nextId = 0;
  let wastedMbMs = 0, samples = 0, committedShare = 0, measuredShare = 0, peakHostCommitted = 0;
  const perHostCounts: number[] = [];

  const measured = (now: number): boolean => now >= warmMs;
  const addWaste = (sb: Sandbox, now: number): void => {
    const from = Math.max(sb.idleSinceMs, warmMs);
    if (now > from) wastedMbMs += (now - from) * sb.fn.spec.limitMb;
  };

  const decisionOf = (fn: Fn, now: number): KeepAliveDecision => {
    if (fn.decision === undefined || now - fn.decidedMs >= o.binMs) {
      fn.decision = policy.decide(fn.tracker.histogram);
      fn.decidedMs = now;
    }
    return fn.decision;
  };

  const place = (fn: Fn): Host | undefined => {
    const t0 = process.hrtime.bigint();
    const index = fn.spec.index;
    for (const h of hosts) h.view.sandboxesOfFunction = h.perFn.get(index) ?? 0;
    const id = chooseHost(views, fn.spec.limitMb, o.placement);
    let host = id === undefined ? undefined : byId.get(id);
    let evict: Sandbox[] = [];
    if (host === undefined) {
      const candidates: EvictableSandbox[] = [];
      const byIdle = new Map<string, Sandbox>();
      for (const s of idleSet) {
        candidates.push({ id: s.id, hostId: s.host.view.id, memoryMb: s.fn.spec.limitMb, lastUsedMs: s.lastUsedMs });
        byIdle.set(s.id, s);
      }
      const plan = planEviction(views, candidates, fn.spec.limitMb);
      if (plan !== undefined) {
        host = byId.get(plan.hostId);
        evict = plan.evict.map((id) => byIdle.get(id)!);
      }
    }
    placementNs += process.hrtime.bigint() - t0;
    placements++;
    for (const s of evict) destroy(s, lastNow);
    evictions += evict.length;
    return host;
  };

  const create = (fn: Fn, host: Host, now: number, busy: boolean): Sandbox => {
    const sb: Sandbox = { id: `s${nextId++}`, fn, host, createdMs: now, lastUsedMs: now, busy, alive: true, provisioned: false, idleSinceMs: now, keepMs: 0 };
    host.view.memoryCommittedMb += fn.spec.limitMb;
    host.view.memoryMeasuredMb += busy ? fn.spec.usedMb : fn.idleUseMb;
    host.sandboxes++;
    host.perFn.set(fn.spec.index, (host.perFn.get(fn.spec.index) ?? 0) + 1);
    fn.all?.add(sb);
    return sb;
  };

  const destroy = (sb: Sandbox, now: number): void => {
    if (!sb.alive) return;
    sb.alive = false;
    const h = sb.host;
    h.view.memoryCommittedMb -= sb.fn.spec.limitMb;
    h.view.memoryMeasuredMb -= sb.busy ? sb.fn.spec.usedMb : sb.fn.idleUseMb;
    h.sandboxes--;
    const left = (h.perFn.get(sb.fn.spec.index) ?? 1) - 1;
    if (left === 0) h.perFn.delete(sb.fn.spec.index);
    else h.perFn.set(sb.fn.spec.index, left);
    if (!sb.busy) {
      idleSet.delete(sb);
      addWaste(sb, now);
    }
    sb.fn.all?.delete(sb);
  };

  const makeIdle = (sb: Sandbox, now: number, keepMs: number): void => {
    const fn = sb.fn;
    sb.idleSinceMs = now;
    sb.keepMs = keepMs;
    fn.idle.push(sb);
    idleSet.add(sb);
    heap.push({ at: now + keepMs, seq: 0, kind: 'expire', sb, lastUsedMs: sb.lastUsedMs });
  };

  /** The most recently used idle sandbox of the function (the top of its stack). */
  const popIdle = (fn: Fn): Sandbox | undefined => {
    while (fn.idle.length > fn.idleHead) {
      const sb = fn.idle.pop()!;
      if (sb.alive && !sb.busy) return sb;
    }
    return undefined;
  };

  const compact = (fn: Fn): void => {
    while (fn.idleHead < fn.idle.length && !fn.idle[fn.idleHead]!.alive) fn.idleHead++;
    if (fn.idleHead > 64 && fn.idleHead * 2 > fn.idle.length) {
      fn.idle = fn.idle.slice(fn.idleHead);
      fn.idleHead = 0;
    }
  };

  let lastNow = 0;
  const arrive = (fn: Fn, now: number): void => {
    const counted = measured(now);
    if (counted) invocations++;
    fn.tracker.arrive(now);
    fn.epoch++;
    let sb = popIdle(fn);
    if (o.checkDecisions === true) {
      const expected = chooseWarmSandbox(fn.all);
      if (expected?.lastUsedMs !== sb?.lastUsedMs) throw new Error(`warm choice differs from chooseWarmSandbox for function ${fn.spec.index}`);
    }
    if (sb !== undefined) {
      idleSet.delete(sb);
      addWaste(sb, now);
      sb.busy = true;
      sb.host.view.memoryMeasuredMb += fn.spec.usedMb - fn.idleUseMb;
    } else {
      const decision = decideScaleUp(fn.bucket, now, o.scaleUp);
      fn.bucket = decision.bucket;
      const host = decision.admit ? place(fn) : undefined;
      if (host === undefined) {
        if (decision.admit) fn.bucket = refund(fn.bucket, now, o.scaleUp);
        if (counted) throttled++;
        fn.tracker.end(now);
        return;
      }
      if (counted) coldStarts++;
      sb = create(fn, host, now, true);
    }
    heap.push({ at: now + fn.stream.duration(), seq: 0, kind: 'complete', sb });
  };

  const complete = (sb: Sandbox, now: number): void => {
    const fn = sb.fn;
    fn.tracker.end(now);
    sb.busy = false;
    sb.lastUsedMs = now;
    sb.host.view.memoryMeasuredMb -= fn.spec.usedMb - fn.idleUseMb;
    const d = decisionOf(fn, now);
    if (d.preWarmMs > 0 && fn.tracker.running === 0) {
      sb.idleSinceMs = now;
      destroy(sb, now);
      for (let s = popIdle(fn); s !== undefined; s = popIdle(fn)) destroy(s, now);
      heap.push({ at: now + d.preWarmMs, seq: 0, kind: 'prewarm', fn, epoch: fn.epoch });
      return;
    }
    makeIdle(sb, now, d.preWarmMs + d.keepAliveMs);
  };

  const expire = (sb: Sandbox, lastUsedMs: number, now: number): void => {
    if (!sb.alive || sb.busy || sb.lastUsedMs !== lastUsedMs) return;
    if (sandboxesToReclaim([sb], now, sb.keepMs, Infinity).length === 1) {
      destroy(sb, now);
      compact(sb.fn);
    }
  };

  const prewarm = (fn: Fn, epoch: number, now: number): void => {
    if (fn.epoch !== epoch) return;
    const host = place(fn);
    if (host === undefined) return;
    if (measured(now)) preWarms++;
    const sb = create(fn, host, now, false);
    makeIdle(sb, now, decisionOf(fn, now).keepAliveMs);
  };

  const sample = (): void => {
    samples++;
    let committed = 0, used = 0;
    for (const h of hosts) {
      perHostCounts.push(h.sandboxes);
      committed += h.view.memoryCommittedMb;
      used += h.view.memoryMeasuredMb;
      peakHostCommitted = Math.max(peakHostCommitted, h.view.memoryCommittedMb / budgetMb);
    }
    committedShare += committed / (budgetMb * hosts.length);
    measuredShare += used / (budgetMb * hosts.length);
  };

  for (const fn of fns) {
    const at = fn.stream.next();
    if (at < endMs) heap.push({ at, seq: 0, kind: 'arrive', fn });
  }
  for (let t = warmMs; t < endMs; t += MIN_MS) heap.push({ at: t, seq: 0, kind: 'sample' });

  for (let e = heap.pop(); e !== undefined && e.at < endMs; e = heap.pop()) {
    events++;
    lastNow = e.at;
    switch (e.kind) {
      case 'arrive': {
        arrive(e.fn, e.at);
        const next = e.fn.stream.next();
        if (next < endMs) heap.push({ at: next, seq: 0, kind: 'arrive', fn: e.fn });
        break;
      }
      case 'complete':
        complete(e.sb, e.at);
        break;
      case 'expire':
        expire(e.sb, e.lastUsedMs, e.at);
        break;
      case 'prewarm':
        prewarm(e.fn, e.epoch, e.at);
        break;
      case 'sample':
        sample();
        break;
    }
  }
  for (const s of [...idleSet]) addWaste(s, endMs);

  perHostCounts.sort((a, b) => a - b);
  const mean = perHostCounts.reduce((a, b) => a + b, 0) / Math.max(1, perHostCounts.length);
  const fromHistogram = fns.filter((f) => policy.decide(f.tracker.histogram).from === 'histogram').length;
  const seconds = Number(placementNs) / 1e9;
  return {
    policy: o.keepAlive === 'fixed' ? `fixed ${o.fixedKeepAliveMs / MIN_MS} min` : `histogram (${o.bins} x ${o.binMs / 1000} s bins)`,
    invocations,
    coldStarts,
    throttled,
    preWarms,
    evictions,
    coldStartPct: (100 * coldStarts) / Math.max(1, invocations),
    sandboxesPerHostMean: mean,
    sandboxesPerHostP99: perHostCounts[Math.min(perHostCounts.length - 1, Math.floor(0.99 * perHostCounts.length))] ?? 0,
    committedPct: (100 * committedShare) / Math.max(1, samples),
    measuredPct: (100 * measuredShare) / Math.max(1, samples),
    peakHostCommittedPct: 100 * peakHostCommitted,
    wastedGbHours: wastedMbMs / 1024 / 3_600_000,
    histogramFunctionsPct: (100 * fromHistogram) / fns.length,
    placements,
    placementsPerSec: seconds > 0 ? placements / seconds : 0,
    chooseHostPerSec: chooseHostRate(views, fns, o.placement),
    events,
    wallMs: performance.now() - started,
  };
}

/** Decisions per second of chooseHost over the given hosts, for the functions' sizes in turn (best of 5 rounds of 20,000). */
function chooseHostRate(views: readonly HostView[], fns: readonly Fn[], policy: PlacementPolicy): number {
  const n = 20_000;
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += chooseHost(views, fns[i % fns.length]!.spec.limitMb, policy)?.length ?? 0;
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
  }
  return sink >= 0 ? (n * 1e9) / best : 0;
}
