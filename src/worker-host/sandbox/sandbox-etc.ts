/**
 * The synthesized /etc of sandboxes: only what runtimes read (users, groups, hosts,
 * DNS, name service order). Written once per driver instance, bound read-only
 * into every sandbox. Nothing of the host's own /etc is exposed besides the
 * read-only pieces listed in HOST_ETC_FILES.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
/** Lambda's own name for the function user. */
export const SANDBOX_USER = 'sbx_user1051';
export const HOST_ALIAS = 'host.flint.internal';

/** Host files runtimes need (dynamic linker cache, CA certificates, service names), bound if present. */
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
 * Writes the files into `dir`, world-readable, and makes `dir` and its parent (the
 * instance's state directory) traversable: bubblewrap opens them as the sandbox user,
 * whatever Flint's umask.
 */
export function writeEtc(dir: string, options: EtcOptions): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dirname(dir), 0o755);
  chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(etcFiles(options))) {
    writeFileSync(`${dir}/${name}`, content);
    chmodSync(`${dir}/${name}`, 0o644);
  }
}
