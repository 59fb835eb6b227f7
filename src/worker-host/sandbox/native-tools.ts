/**
 * Locations of the native pieces of the namespace driver: bubblewrap (a Debian
 * package) and what scripts/setup-sandbox.sh compiles into `.build/`.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface NativeTools {
  readonly bwrap: string;
  /** flint-sandbox-helper (exec and specialize subcommands). */
  readonly helper: string;
  /** Seccomp filter as classic BPF, for `bwrap --seccomp FD`. */
  readonly seccompBpf: string;
}

/** The repository's `.build/` directory (scripts/setup-sandbox.sh writes there). */
export function defaultBuildDir(): string {
  return fileURLToPath(new URL('../../../.build/', import.meta.url)).replace(/\/$/, '');
}

export function nativeTools(buildDir = defaultBuildDir()): NativeTools {
  return { bwrap: '/usr/bin/bwrap', helper: `${buildDir}/flint-sandbox-helper`, seccompBpf: `${buildDir}/seccomp.bpf` };
}

/** Which native pieces are missing, as messages naming the fix. */
export function missingTools(tools: NativeTools): string[] {
  const missing: string[] = [];
  const check = (path: string, mode: number, what: string) => {
    try {
      accessSync(path, mode);
    } catch {
      missing.push(`${what} not found at ${path} (run scripts/setup-sandbox.sh)`);
    }
  };
  check(tools.bwrap, constants.X_OK, 'bubblewrap');
  check(tools.helper, constants.X_OK, 'sandbox helper');
  check(tools.seccompBpf, constants.R_OK, 'seccomp filter');
  // a helper built from another version of its source lacks what the driver now asks of it (e.g. `supervise`)
  if (!missing.some((m) => m.startsWith('sandbox helper')) && !builtFrom(tools.helper, HELPER_SOURCES)) {
    missing.push(`sandbox helper at ${tools.helper} was not built from its current sources ${HELPER_SOURCES.join(', ')} (run scripts/setup-sandbox.sh)`);
  }
  return missing;
}

/** The helper's sources, in the order setup-sandbox.sh stamps them. */
const HELPER_SOURCES = ['flint-sandbox-helper.c', 'netns-config.c', 'netns-config.h'].map((f) => fileURLToPath(new URL(`./native/${f}`, import.meta.url)));

/**
 * Whether `file` was built from `sources` as they are now: setup-sandbox.sh stamps each build with the
 * SHA-256 of its sources' contents, one after the other (`FILE.source-sha256`); content, not timestamps,
 * so a checkout or a copied `.build/` cannot fool it. False without a stamp or an unreadable source.
 */
export function builtFrom(file: string, sources: readonly string[]): boolean {
  try {
    const stamp = readFileSync(`${file}.source-sha256`, 'utf8').trim();
    const hash = createHash('sha256');
    for (const source of sources) hash.update(readFileSync(source));
    return stamp === hash.digest('hex');
  } catch {
    return false;
  }
}
