/** Where the runtime store and the runtime clients live in a checkout of Flint. */
import { fileURLToPath } from 'node:url';
import type { RuntimePaths } from './cell-template.ts';

/** Paths relative to the repository: `.build/runtimes` (setup-runtimes.sh) and `src/sandbox-runtime`. */
export function defaultRuntimePaths(repoRoot = fileURLToPath(new URL('../../../', import.meta.url))): RuntimePaths {
  const root = repoRoot.endsWith('/') ? repoRoot.slice(0, -1) : repoRoot;
  return {
    nodeStoreDir: `${root}/.build/runtimes`,
    sandboxRuntimeDir: `${root}/src/sandbox-runtime`,
    pythonBinary: '/usr/bin/python3',
  };
}
