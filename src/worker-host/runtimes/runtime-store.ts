/**
 * Resolves a runtime id to what runs it on this machine: the cell template (mounts, command,
 * base environment) plus the warnings a stand-in deserves. Checks that the binaries exist, so a
 * missing `setup-runtimes.sh` run is a clear error rather than a sandbox that dies at start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '../../shared/index.ts';
import { cellTemplate, type CellTemplate, type RuntimePaths } from './cell-template.ts';
import { nodeClientBundle } from './node-client-bundle.ts';
import { findRuntime, type RuntimeDefinition } from './runtime-catalog.ts';

export interface ResolvedRuntime {
  readonly definition: RuntimeDefinition;
  readonly template: CellTemplate;
  /** Human-readable notes on stand-ins (also logged once per runtime as warnings). */
  readonly warnings: readonly string[];
}

export type RuntimeResolution =
  | { readonly ok: true; readonly runtime: ResolvedRuntime }
  | { readonly ok: false; readonly reason: 'unknown-runtime' | 'not-installed'; readonly message: string };

export class RuntimeStore {
  readonly paths: RuntimePaths;
  readonly #log: Logger | undefined;
  readonly #warned = new Set<string>();
  #pythonVersion: string | undefined;
  #nodeClientDir: string | undefined;

  constructor(paths: RuntimePaths, log?: Logger) {
    this.paths = paths;
    this.#log = log;
  }

  /** Never throws: an unknown or uninstalled runtime is a result, for the caller to turn into its error. */
  resolve(runtimeId: string): RuntimeResolution {
    const definition = findRuntime(runtimeId);
    if (!definition) return { ok: false, reason: 'unknown-runtime', message: `Runtime ${runtimeId} is not supported by Flint` };
    let paths = this.paths;
    if (definition.family === 'nodejs') {
      const client = this.#nodeClient();
      if (!client.ok) return { ok: false, reason: 'not-installed', message: client.message };
      paths = { ...paths, nodeClientDir: client.dir };
    }
    const template = cellTemplate(definition, paths);
    const missing = this.#missingBinary(definition, template);
    if (missing) return { ok: false, reason: 'not-installed', message: missing };
    const warnings = this.#warnings(definition);
    if (!this.#warned.has(runtimeId)) {
      this.#warned.add(runtimeId);
      for (const warning of warnings) this.#log?.warn({ runtime: runtimeId }, warning);
    }
    return { ok: true, runtime: { definition, template, warnings } };
  }

  /** The bundled Node runtime client, built at the first nodejs resolve (node-client-bundle.ts). */
  #nodeClient(): { ok: true; dir: string } | { ok: false; message: string } {
    try {
      this.#nodeClientDir ??= nodeClientBundle(`${this.paths.sandboxRuntimeDir}/nodejs`, `${this.paths.nodeStoreDir}/nodejs-client`);
      return { ok: true, dir: this.#nodeClientDir };
    } catch (err) {
      return { ok: false, message: `the Node runtime client could not be bundled from ${this.paths.sandboxRuntimeDir}/nodejs: ${(err as Error).message}` };
    }
  }

  #missingBinary(def: RuntimeDefinition, template: CellTemplate): string | undefined {
    if (def.family === 'nodejs') {
      const binary = `${template.runtimeMounts['/var/lang/bin']}/node`;
      if (!existsSync(binary)) return `Node ${def.nodeMajor} for ${def.id} is not installed (${binary}): run scripts/setup-runtimes.sh`;
    } else if (def.family === 'python' && !existsSync(this.paths.pythonBinary)) {
      return `${this.paths.pythonBinary} is missing: ${def.id} needs the machine's python3 (apt-get install python3)`;
    }
    return undefined;
  }

  #warnings(def: RuntimeDefinition): string[] {
    if (!def.standIn) return [];
    if (def.family !== 'python') return [def.standIn];
    return [`${def.standIn}: Python ${this.#machinePythonVersion()}`];
  }

  #machinePythonVersion(): string {
    if (this.#pythonVersion === undefined) {
      try {
        this.#pythonVersion = execFileSync(this.paths.pythonBinary, ['-c', 'import platform; print(platform.python_version())'], {
          encoding: 'utf8', env: {}, timeout: 5000,
        }).trim();
      } catch {
        this.#pythonVersion = 'unknown';
      }
    }
    return this.#pythonVersion;
  }
}
