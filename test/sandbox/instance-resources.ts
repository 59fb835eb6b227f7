/** Everything a driver instance can leave on the machine, found by its name (for leak tests). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { waitFor } from '../helpers/wait-for.ts';

export interface InstanceResources {
  readonly processes: number[];
  readonly cgroups: string[];
  readonly veths: string[];
  readonly netns: string[];
  readonly mounts: string[];
  readonly iptables: string[];
  readonly loopbackAddresses: string[];
  readonly stateDir: boolean;
  readonly claims: string[];
}

const CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'pids'];

export function instanceResources(name: string): InstanceResources {
  const marker = `/flint-${name}/`;
  const processes: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cgroup`, 'utf8').includes(marker)) processes.push(Number(entry));
    } catch {
      /* exited */
    }
  }
  const cgroups = CONTROLLERS.flatMap((c) => {
    const dir = `/sys/fs/cgroup/${c}/flint-${name}`;
    return existsSync(dir) ? [dir, ...readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${dir}/${d.name}`)] : [];
  });
  const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
  const veths = [...sh('ip', ['-o', 'link', 'show']).matchAll(/^\d+: ([^:@\s]+)/gm)].map((m) => m[1]!).filter((n) => n.startsWith(`fl${name}-`));
  const netns = sh('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`flint-${name}-`));
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(`flint-${name}-`) || l.includes(`/flint-sandbox/${name}`));
  const iptables = [...sh('iptables', ['-w', '-S']).split('\n'), ...sh('iptables', ['-w', '-t', 'nat', '-S']).split('\n')].filter((l) => l.includes(`FLINT-${name}-`));
  const loopbackAddresses = sh('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo']).split('\n').filter((l) => l.includes(`lo:${name}`));
  const claimsDir = '/run/flint-sandbox/claims';
  const claims = existsSync(claimsDir) ? readdirSync(claimsDir).filter((f) => readFileSync(`${claimsDir}/${f}`, 'utf8').includes(`"name":"${name}"`)) : [];
  return { processes, cgroups, veths, netns, mounts, iptables, loopbackAddresses, stateDir: existsSync(`/run/flint-sandbox/${name}`), claims };
}

export const NOTHING: InstanceResources = {
  processes: [], cgroups: [], veths: [], netns: [], mounts: [], iptables: [], loopbackAddresses: [], stateDir: false, claims: [],
};

/** Whether `pid` is an exec helper of a prepared start, still waiting for its command (its cmdline says `--command-fd`). */
function isPreparedHelper(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv[1] === 'exec' && argv.includes('--command-fd') && readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim() === '';
  } catch {
    return false;
  }
}

/** Pids of the instance's prepared starts' helpers (waiting for their command). */
export function preparedHelpers(name: string): number[] {
  return instanceResources(name).processes.filter(isPreparedHelper);
}

/**
 * The instance's resources once exactly `prepared` starts are prepared and nothing else runs
 * (the driver keeps that many ahead: a helper waiting in its own cgroups); the prepared starts'
 * helpers and cgroups are left out, so what remains is what a leak would be.
 */
export async function resourcesBesidesPrepared(name: string, prepared: number): Promise<InstanceResources> {
  return waitFor(() => {
    const r = instanceResources(name);
    const helpers = r.processes.filter(isPreparedHelper);
    if (helpers.length !== prepared || r.processes.length !== prepared) return undefined;
    const theirs = new Set(helpers.flatMap((pid) => readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').map((l) => l.split(':').slice(2).join(':')).filter((p) => p.includes(`/flint-${name}/`))));
    const cgroups = r.cgroups.filter((dir) => ![...theirs].some((group) => dir.endsWith(group)));
    if (cgroups.length + [...theirs].length * CONTROLLERS.length !== r.cgroups.length) return undefined; // a start still being prepared
    return { ...r, processes: [], cgroups };
  }, { what: () => `${prepared} prepared start(s) and nothing else in instance ${name}: ${JSON.stringify(instanceResources(name).processes)}` });
}
