// The run's log files in the data directory, JSON lines written by pino: paper-trader.log (the
// session) and polygon-data.log (Polygon's connection), each rotated by size. Never the terminal:
// the UI owns it.
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { redactKey } from '../engine/redact.ts';
import { readConfig, sizeInBytes } from './config-store.ts';
import { ENV_VAR_OF } from './polygon-settings.ts';
import { RotatingFile } from './rotating-file.ts';

export const APP_LOG = 'paper-trader.log';
export const POLYGON_LOG = 'polygon-data.log';
/** Where a log is rotated unless logMaxSize (or PAPER_TRADER_LOG_MAX_SIZE) says otherwise. */
export const DEFAULT_LOG_MAX_SIZE = '10MB';

// Fields that hold secrets are censored whatever their value, at any depth and in any case
// (`Authorization` too); every other string is scrubbed of the key.
const SECRET_FIELDS = new Set(['apikey', 'token', 'authorization', 'password']);

export interface LogFiles {
  /** paper-trader.log; undefined when it could not be opened. */
  readonly app: Logger | undefined;
  /** polygon-data.log (only asked for on the Polygon market); undefined otherwise. */
  readonly polygon: Logger | undefined;
  /** One line per file that could not be opened, for stderr or the UI's log. */
  readonly problems: readonly string[];
}

/** Censors the secret fields of value and replaces the key (and any apiKey= query value) in every other string. */
export function scrub<T>(value: T, apiKey: string | undefined): T {
  if (typeof value === 'string') return redactKey(value, apiKey) as T;
  if (Array.isArray(value)) return value.map((item) => scrub(item, apiKey)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, SECRET_FIELDS.has(key.toLowerCase()) ? 'REDACTED' : scrub(item, apiKey)]),
    ) as T;
  }
  return value;
}

/** A JSON-lines logger on path, written synchronously so every line is on disk when the process exits. */
export function openLogFile(path: string, apiKey: string | undefined, level: LogLevel = 'info', maxBytes = sizeInBytes(DEFAULT_LOG_MAX_SIZE)!): Logger {
  const destination = new RotatingFile(path, maxBytes);
  try {
    return pino(
      {
        level,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: {
          level: (label) => ({ level: label }),
        },
        hooks: {
          // Every argument (object and message) is scrubbed once, here, before pino sees it: pino's
          // own redact walked wildcard paths at about 18 KB of garbage a line.
          logMethod(args, method) {
            method.apply(this, scrub(args, apiKey));
          },
        },
      },
      destination,
    );
  } catch (error) {
    destination.close();
    throw error;
  }
}

/** Opens the run's logs in dataDir; a file that cannot be opened becomes a problem line, never an exit. */
/** What the log files keep: debug adds every Polygon status frame; warn keeps only warnings and errors. */
export const LOG_LEVELS = ['debug', 'info', 'warn'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function openLogFiles(dataDir: string, options: { apiKey: string | undefined; polygon: boolean; level?: LogLevel }): LogFiles {
  const problems: string[] = [];
  const maxBytes = logMaxBytes(dataDir, problems);
  const open = (name: string): Logger | undefined => {
    const path = join(dataDir, name);
    try {
      return openLogFile(path, options.apiKey, options.level, maxBytes);
    } catch (error) {
      problems.push(`cannot write the log ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): running without it`);
      return undefined;
    }
  };
  const app = open(APP_LOG);
  const polygon = options.polygon ? open(POLYGON_LOG) : undefined;
  return { app, polygon, problems };
}

/** The size a log is rotated at: PAPER_TRADER_LOG_MAX_SIZE, else the config's logMaxSize, else 10 MB. */
function logMaxBytes(dataDir: string, problems: string[], env: NodeJS.ProcessEnv = process.env): number {
  const variable = ENV_VAR_OF.logMaxSize;
  const text = env[variable]?.trim() || readConfig(dataDir).logMaxSize;
  if (text === undefined) return sizeInBytes(DEFAULT_LOG_MAX_SIZE)!;
  const bytes = sizeInBytes(text);
  if (bytes === undefined) problems.push(`${env[variable]?.trim() ? variable : 'logMaxSize'} "${text}" is not a size from 64KB to 10GB (e.g. 10MB): rotating the logs at ${DEFAULT_LOG_MAX_SIZE}`);
  return bytes ?? sizeInBytes(DEFAULT_LOG_MAX_SIZE)!;
}
