// The run's log files in the data directory, JSON lines written by pino: paper-trader.log (the
// session) and polygon-data.log (Polygon's connection). Never the terminal: the UI owns it.
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { redactKey } from '../engine/redact.ts';

export const APP_LOG = 'paper-trader.log';
export const POLYGON_LOG = 'polygon-data.log';

// Fields that hold secrets are censored whatever their value; every string is also scrubbed of the key.
const SECRET_FIELDS = ['apiKey', 'token', 'authorization', 'password'];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

export interface LogFiles {
  /** paper-trader.log; undefined when it could not be opened. */
  readonly app: Logger | undefined;
  /** polygon-data.log (only asked for on the Polygon market); undefined otherwise. */
  readonly polygon: Logger | undefined;
  /** One line per file that could not be opened, for stderr or the UI's log. */
  readonly problems: readonly string[];
}

/** Replaces the key (and any apiKey= query value) in every string of value. */
export function scrub<T>(value: T, apiKey: string | undefined): T {
  if (typeof value === 'string') return redactKey(value, apiKey) as T;
  if (Array.isArray(value)) return value.map((item) => scrub(item, apiKey)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, apiKey)])) as T;
  }
  return value;
}

/** A JSON-lines logger on path, written synchronously so every line is on disk when the process exits. */
export function openLogFile(path: string, apiKey: string | undefined, level: LogLevel = 'info'): Logger {
  const fd = openSync(path, 'a', 0o600);
  const destination = pino.destination({ fd, sync: true });
  // A full disk must not stop a trading session: the log goes quiet instead.
  destination.on('error', () => {});
  try {
    return pino(
      {
        level,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: REDACT_PATHS, censor: 'REDACTED' },
        formatters: {
          level: (label) => ({ level: label }),
        },
        hooks: {
          // Every argument (object and message) is scrubbed once, here, before pino sees it.
          logMethod(args, method) {
            method.apply(this, scrub(args, apiKey));
          },
        },
      },
      destination,
    );
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Opens the run's logs in dataDir; a file that cannot be opened becomes a problem line, never an exit. */
export const LOG_LEVELS = ['info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function openLogFiles(dataDir: string, options: { apiKey: string | undefined; polygon: boolean; level?: LogLevel }): LogFiles {
  const problems: string[] = [];
  const open = (name: string): Logger | undefined => {
    const path = join(dataDir, name);
    try {
      return openLogFile(path, options.apiKey, options.level);
    } catch (error) {
      problems.push(`cannot write the log ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): running without it`);
      return undefined;
    }
  };
  const app = open(APP_LOG);
  const polygon = options.polygon ? open(POLYGON_LOG) : undefined;
  return { app, polygon, problems };
}
