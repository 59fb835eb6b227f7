/**
 * The /etc of sandboxes: only what runtimes read. Synthesized files (users, groups,
 * hosts, DNS, name service order), copies of the host files listed in HOST_ETC_FILES
 * and the /etc/localtime link (UTC), written once per driver instance into one
 * directory that is bound read-only as the sandbox's /etc: one mount where there were
 * one per file, each of which bubblewrap pays for (~0.1 ms of CPU per mount per
 * sandbox start). Nothing else of the host's own /etc is exposed. Host files are read
 * when the driver starts: a host change (a CA bundle update) reaches sandboxes at the
 * next start of Flint, as a file replaced under a bind mount did not reach them either.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
/** Lambda's own name for the function user. */
export const SANDBOX_USER = 'sbx_user1051';
export const HOST_ALIAS = 'host.flint.internal';

/** Host files runtimes need (dynamic linker cache, CA certificates, service names), copied if present. */
export const HOST_ETC_FILES = [
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
 * Writes the sandbox /etc into `dir` (emptied first): the synthesized files, the host files
 * of `hostFiles` that exist (a symlinked one as what it points to; links inside a copied
 * directory, such as the CA certificates' links into /usr/share, kept as links) and
 * `localtime` linking to `zoneinfo` when that exists. Everything is world-readable and `dir`
 * and its parent (the instance's state directory) traversable: bubblewrap opens them as the
 * sandbox user, whatever Flint's umask.
 */
export function writeEtc(dir: string, options: EtcOptions, hostFiles: readonly string[] = HOST_ETC_FILES, zoneinfo = ZONEINFO_UTC): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dirname(dir), 0o755);
  chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(etcFiles(options))) {
    writeFileSync(`${dir}/${name}`, content);
    chmodSync(`${dir}/${name}`, 0o644);
  }
  for (const file of hostFiles) {
    if (!file.startsWith('/etc/') || !existsSync(file)) continue;
    const target = `${dir}/${file.slice('/etc/'.length)}`;
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    cpSync(realpathSync(file), target, { recursive: true, verbatimSymlinks: true });
  }
  if (existsSync(zoneinfo)) symlinkSync(zoneinfo, `${dir}/localtime`);
}
