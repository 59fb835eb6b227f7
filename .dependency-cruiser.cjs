/**
 * Import boundaries (STYLE.md): components talk through each other's index.ts only;
 * main.ts alone wires components; in-sandbox code imports Node built-ins only; no cycles;
 * production code never imports test support (fakes under a component's testing/ folder, test/).
 */
const COMPONENTS = '(auth|console|cluster|storage|function-urls|control-plane|code-store|frontend|counting|worker-manager|placement|worker-host|async-invoke|event-sources|api|config|shared|model|cli|status|logs)';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'component-internals-private',
      comment: "Import another component only through its index.ts (test support also through its testing/ folder, which production code never imports).",
      severity: 'error',
      from: { path: `^src/${COMPONENTS}/` },
      to: {
        path: `^src/${COMPONENTS}/.+`,
        pathNot: [`^src/${COMPONENTS}/index\\.ts$`, `^src/${COMPONENTS}/testing/`, '^src/$1/'],
      },
    },
    {
      name: 'frontend-depends-on-its-ports',
      comment:
        'The front end reaches the resolver, counting, workers and the async queue through the ports it declares (src/frontend/ports.ts); main.ts plugs the components in.',
      severity: 'error',
      from: { path: '^src/frontend/' },
      to: { path: '^src/(control-plane|counting|worker-manager|placement|worker-host|async-invoke|code-store|storage)/' },
    },
    {
      name: 'only-main-wires',
      comment: 'Only main.ts (and the CLI that starts it) may import main.ts.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'worker-host-below-placement',
      comment:
        'The data plane points down: worker manager -> placement -> worker host. A worker host implements the host protocol ' +
        '(model/worker-host-port.ts) and knows neither who places sandboxes on it nor who claims them.',
      severity: 'error',
      from: { path: '^src/worker-host/' },
      to: { path: '^src/(placement|worker-manager)/' },
    },
    {
      name: 'cli-talks-http',
      comment:
        'The CLI reaches a running Flint over its HTTP API (src/cli/flint-client.ts), never its database, stores or log files: ' +
        'besides its own files, a command may import only config, shared and model. `flint serve` starts Flint, so it may import main.ts; ' +
        '`flint worker` starts a worker host, so it may import worker-main.ts; `flint token create` and `flint credentials` open storage (below).',
      severity: 'error',
      from: { path: '^src/cli/', pathNot: ['^src/cli/serve-command\\.ts$', '^src/cli/worker-command\\.ts$', '^src/cli/token-command\\.ts$', '^src/cli/credentials-command\\.ts$'] },
      to: { path: '^src/', pathNot: '^src/(cli|config|shared|model)/' },
    },
    {
      name: 'cli-never-opens-the-database',
      comment:
        'No CLI file, `flint serve` included, opens the database itself. The exceptions are `flint token create` (token-command.ts) and `flint credentials` (credentials-command.ts, access keys must exist before a request can be signed with them): ' +
        'a join token must be stored before any front end or worker host can trust it, so it writes its digest to the storage directly.',
      severity: 'error',
      from: { path: '^src/cli/', pathNot: ['^src/cli/token-command\\.ts$', '^src/cli/credentials-command\\.ts$'] },
      to: { path: '^src/(storage|async-invoke)/' },
    },
    {
      name: 'sqlite-only-in-its-adapter',
      comment: 'All SQL of the embedded database lives in the SQLite adapter (src/storage/sqlite/): nothing else imports node:sqlite; the rest reaches storage through src/storage/ports.ts.',
      severity: 'error',
      from: { pathNot: '^src/storage/sqlite/' },
      to: { path: '^(node:)?sqlite$' },
    },
    {
      name: 'pg-only-in-its-adapter',
      comment: 'All SQL of PostgreSQL lives in the PostgreSQL adapter (src/storage/postgres/): nothing else imports the pg client.',
      severity: 'error',
      from: { pathNot: '^src/storage/postgres/' },
      to: { path: ['^pg$', '^pg/', '(^|/)node_modules/pg/', '(^|/)node_modules/pg-[^/]+/'] },
    },
    {
      name: 'sandbox-runtime-builtins-only',
      comment: 'Code that runs inside a sandbox may import only Node built-ins.',
      severity: 'error',
      from: { path: '^src/sandbox-runtime/' },
      to: { dependencyTypesNot: ['core', 'local'] },
    },
    {
      name: 'production-does-not-import-test-support',
      comment: 'Fakes live in a component\'s testing/ folder (or under test/) for tests only; production code never imports them, nor a barrel that does.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['/testing/', '\\.test\\.ts$'] },
      to: { path: ['/testing/', '^test/'] },
    },
    {
      name: 'host-does-not-import-sandbox-code',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/sandbox-runtime/' },
      to: { path: '^src/sandbox-runtime/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
