import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr. Built once in main and passed down; children carry a component or request id. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
