/** Everything a driver instance can leave on the machine, found by its name (for leak tests). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

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
