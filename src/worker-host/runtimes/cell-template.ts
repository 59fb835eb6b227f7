/**
 * What starts a function-agnostic cell of a runtime: mounts, command and base environment
 * (paths as seen inside the sandbox, values as in spec section 3). Pure.
 */
import type { RuntimeDefinition } from './runtime-catalog.ts';

/** Host locations the templates point into. */
export interface RuntimePaths {
  /** The runtime store: `<dir>/node<major>/bin/node` (filled by scripts/setup-runtimes.sh). */
  readonly nodeStoreDir: string;
  /** Flint's in-sandbox runtime clients (`src/sandbox-runtime`), with nodejs/, python/, provided/. */
  readonly sandboxRuntimeDir: string;
  /** The Node runtime client as cells run it, bundled (node-client-bundle.ts); unset: `<sandboxRuntimeDir>/nodejs` as it is. */
  readonly nodeClientDir?: string;
  /** Python interpreter for python3.* runtimes; must also exist at this path inside the sandbox (/usr is mounted). */
  readonly pythonBinary: string;
}

export interface CellTemplate {
  /** Read-only mounts: path in the sandbox -> host path (CellSpec.runtimeMounts). */
  readonly runtimeMounts: Readonly<Record<string, string>>;
  /** CellSpec.command. */
  readonly command: readonly string[];
  /** CellSpec.env: the environment every cell of this runtime starts with (before specialization). */
  readonly env: Readonly<Record<string, string>>;
}

export const TASK_ROOT = '/var/task';
export const RUNTIME_DIR = '/var/runtime';
const LANG_BIN = '/var/lang/bin';
const LD_LIBRARY_PATH = '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib';
const PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';

/** Variables every runtime family starts with (Lambda's values). */
function commonEnv(): Record<string, string> {
  return { PATH, LANG: 'en_US.UTF-8', TZ: ':UTC', LD_LIBRARY_PATH, LAMBDA_TASK_ROOT: TASK_ROOT, LAMBDA_RUNTIME_DIR: RUNTIME_DIR };
}

export function cellTemplate(def: RuntimeDefinition, paths: RuntimePaths): CellTemplate {
  switch (def.family) {
    case 'nodejs': {
      const major = def.nodeMajor!;
      return {
        runtimeMounts: {
          [LANG_BIN]: `${paths.nodeStoreDir}/node${major}/bin`,
          [RUNTIME_DIR]: paths.nodeClientDir ?? `${paths.sandboxRuntimeDir}/nodejs`,
          // The AWS SDK v3 (Lambda client), found through NODE_PATH as in Lambda's nodejs runtimes.
          [`${RUNTIME_DIR}/node_modules`]: `${paths.nodeStoreDir}/aws-sdk/node_modules`,
        },
        command: [`${LANG_BIN}/node`, `${RUNTIME_DIR}/bootstrap.mjs`],
        env: {
          ...commonEnv(),
          NODE_PATH: `/opt/nodejs/node${major}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`,
        },
      };
    }
    case 'python':
      return {
        runtimeMounts: { [RUNTIME_DIR]: `${paths.sandboxRuntimeDir}/python` },
        command: [paths.pythonBinary, `${RUNTIME_DIR}/bootstrap.py`],
        env: { ...commonEnv(), PYTHONPATH: RUNTIME_DIR },
      };
    case 'provided':
      return {
        runtimeMounts: { [RUNTIME_DIR]: `${paths.sandboxRuntimeDir}/provided` },
        command: ['/bin/bash', `${RUNTIME_DIR}/cell.sh`],
        env: { ...commonEnv(), SHLVL: '0' },
      };
  }
}
