/**
 * The /etc of sandboxes: only what runtimes read. Synthesized files (users, groups,
 * hosts, DNS, name service order), copies of the host files listed in HOST_ETC_ENTRIES
 * and the /etc/localtime link (UTC), written once per driver instance into one
 * directory that is bound read-only as the sandbox's /etc: one mount where there were
 * one per file, each of which bubblewrap pays for (~0.1 ms of CPU per mount per
 * sandbox start). The host directories of that list (the CA certificates, the
 * alternatives' links: ~700 links on Debian) are not copied but bound read-only over
 * empty mount points of that directory: making ~700 links cost 80-500 ms of CPU at
 * every start of Flint where /run is a disk's file system, as on the VMs CI runs on,
 * against two more mounts per sandbox start (no difference measurable in
 * bench/sandbox-start.ts). Nothing else of the host's own /etc is exposed. Host files
 * are read when the driver starts: a host change to a copied file (the dynamic
 * linker's cache) reaches sandboxes at the next start of Flint; the bound directories
 * are the host's own.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
/** Lambda's own name for the function user. */
export const SANDBOX_USER = 'sbx_user1051';
export const HOST_ALIAS = 'host.flint.internal';

/**
 * What of the host's /etc runtimes need (dynamic linker cache, CA certificates, service names),
 * where present: a file is copied, a directory bound read-only.
 */
export const HOST_ETC_ENTRIES = [
  '/etc/ld.so.cache', '/etc/ssl/certs', '/etc/ssl/openssl.cnf', '/etc/pki/tls/certs', '/etc/alternatives',
  '/etc/protocols', '/etc/services', '/etc/mime.types',
] as const;

export const ZONEINFO_UTC = '/usr/share/zoneinfo/Etc/UTC';

export interface EtcOptions {
  /** Address of the host as seen from sandboxes, or undefined without a network. */
  readonly hostAddress: string | undefined;
  /** Nameservers sandboxes may use (empty: no DNS). */
  readonly nameservers: readonly string[];
}

export function etcFiles(options: EtcOptions): Record<string, string> {
  const hosts = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  if (options.hostAddress !== undefined) hosts.push(`${options.hostAddress}\t${HOST_ALIAS}`);
  return {
    passwd: `root:x:0:0:root:/root:/usr/sbin/nologin\n${SANDBOX_USER}:x:${SANDBOX_UID}:${SANDBOX_GID}::/tmp:/usr/sbin/nologin\n`,
    group: `root:x:0:\n${SANDBOX_USER}:x:${SANDBOX_GID}:\n`,
    hosts: `${hosts.join('\n')}\n`,
    'resolv.conf': `${options.nameservers.map((n) => `nameserver ${n}\n`).join('')}options timeout:2 attempts:2\n`,
    'nsswitch.conf': 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n',
  };
}

/** The host's nameservers that a sandbox can reach (loopback resolvers cannot be reached from a netns). */
export function hostNameservers(resolvConf: string = readResolvConf()): string[] {
  return [...resolvConf.matchAll(/^\s*nameserver\s+(\S+)/gm)]
    .map((m) => m[1]!)
    .filter((ns) => !ns.startsWith('127.') && ns !== '::1' && !ns.includes(':'));
}

function readResolvConf(): string {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
}

/**
 * Writes the sandbox /etc into `dir` (emptied first): the synthesized files, copies of the host
 * files of `hostEntries` that exist (a symlinked one as what it points to), an empty mount point
 * for each host directory of `hostEntries` that exists and every user may enter, and `localtime`
 * linking to `zoneinfo` when that exists. Everything is world-readable and `dir` and its parent
 * (the instance's state directory) traversable: bubblewrap opens them as the sandbox user,
 * whatever Flint's umask.
 * Returns the host directories to bind read-only at their own path inside (etcBinds of bwrapArgs).
 */
export function writeEtc(dir: string, options: EtcOptions, hostEntries: readonly string[] = HOST_ETC_ENTRIES, zoneinfo = ZONEINFO_UTC): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dirname(dir), 0o755);
  chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(etcFiles(options))) {
    writeFileSync(`${dir}/${name}`, content);
    chmodSync(`${dir}/${name}`, 0o644);
  }
  const binds: string[] = [];
  for (const entry of hostEntries) {
    // stat follows a symlinked entry: it is copied or bound as what it points to
    const stat = entry.startsWith('/etc/') ? statSync(entry, { throwIfNoEntry: false }) : undefined;
    if (stat === undefined) continue;
    // bubblewrap binds a directory as the sandbox user, who must be able to enter it (as every user can on a usual host)
    if (stat.isDirectory() && (stat.mode & 0o005) !== 0o005) continue;
    const target = `${dir}/${entry.slice('/etc/'.length)}`;
    makeTraversable(dirname(target));
    if (stat.isDirectory()) {
      makeTraversable(target);
      binds.push(entry);
    } else {
      copyFileSync(entry, target);
      chmodSync(target, 0o644);
    }
  }
  if (existsSync(zoneinfo)) symlinkSync(zoneinfo, `${dir}/localtime`);
  return binds;
}

/** Creates `dir` and its missing parents with mode 0755, whatever the umask. */
function makeTraversable(dir: string): void {
  const first = mkdirSync(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; d.length >= first.length; d = dirname(d)) chmodSync(d, 0o755);
}
