/** Domain types shared between components. No behaviour lives here. */
export * from './function-config.ts';
export * from './invocation.ts';
export * from './worker-host-port.ts';
