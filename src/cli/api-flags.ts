// --api, --api-port and --api-host: serve the HTTP API beside the UI or the headless run, with a
// bearer token from PAPER_TRADER_API_TOKEN or a file in the data directory made on first use.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generateApiToken, startHttpApi, type HttpApi } from '../api/index.ts';
import type { Engine } from '../engine/index.ts';
import { alpacaKeys } from './alpaca-keys.ts';
import { CommandError } from './command-error.ts';
import { cannotWrite } from './data-dir.ts';
import type { CliEnv } from './options.ts';
import { messageOf } from '../engine/errors.ts';

export const API_TOKEN_ENV = 'PAPER_TRADER_API_TOKEN';
export const API_TOKEN_FILE = 'api-token';
export const DEFAULT_API_PORT = 8787;

export interface ApiFlags {
  api?: boolean;
  apiPort?: string;
  apiHost?: string;
  apiMaxStreams?: string;
}

export interface StartedApi {
  api: HttpApi;
  /** Lines for the trader: where it listens and where the token is (never the token). */
  notices: string[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::';

/**
 * Listening on every interface, the API is reached by this machine's addresses and name: those
 * are the Host headers accepted (the DNS-rebinding check stays on). The port is known only
 * once bound when it is 0, so a wildcard host needs a fixed port.
 */
function machineHosts(port: number): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((info) => (info.family === 'IPv6' ? `[${info.address}]` : info.address)));
  return [...new Set(['127.0.0.1', 'localhost', '[::1]', hostname(), ...addresses])].map((host) => `${host}:${port}`.toLowerCase());
}

export interface ApiWhere {
  host: string;
  port: number;
  /** --api-max-streams: event-stream clients served at once. */
  maxEventStreams?: number;
}

/** Whether the flags ask for the API; a bad port, host or stream cap is one clear line. */
export function apiRequested(flags: ApiFlags): ApiWhere | undefined {
  if (!flags.api && flags.apiPort === undefined && flags.apiHost === undefined && flags.apiMaxStreams === undefined) return undefined;
  let port = DEFAULT_API_PORT;
  if (flags.apiPort !== undefined) {
    port = Number(flags.apiPort);
    if (!/^\d+$/.test(flags.apiPort.trim()) || port > 65_535) throw new CommandError(`--api-port must be a port number from 0 to 65535, got "${flags.apiPort}"`);
  }
  const host = flags.apiHost?.trim() || '127.0.0.1';
  if (host !== 'localhost' && isIP(host) === 0) throw new CommandError(`--api-host must be an IP address such as 127.0.0.1 or 0.0.0.0, got "${flags.apiHost}"`);
  if (isWildcard(host) && port === 0) throw new CommandError('--api-host 0.0.0.0 needs a fixed --api-port (clients must know where to connect)');
  if (flags.apiMaxStreams === undefined) return { host, port };
  const maxEventStreams = Number(flags.apiMaxStreams.trim());
  if (!/^\d+$/.test(flags.apiMaxStreams.trim()) || maxEventStreams < 1 || maxEventStreams > 10_000) {
    throw new CommandError(`--api-max-streams must be a whole number from 1 to 10000, got "${flags.apiMaxStreams}"`);
  }
  return { host, port, maxEventStreams };
}

/** The token: PAPER_TRADER_API_TOKEN, else the data directory's api-token file (created, mode 0600, on first use). */
export function apiToken(dir: string, env: CliEnv = process.env): { token: string; source: string } {
  const fromEnv = env[API_TOKEN_ENV]?.trim();
  if (fromEnv) return { token: fromEnv, source: API_TOKEN_ENV };
  const file = join(dir, API_TOKEN_FILE);
  try {
    if (!existsSync(file)) writeFileSync(file, `${generateApiToken()}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    const token = readFileSync(file, 'utf8').trim();
    return { token, source: file };
  } catch (error) {
    throw cannotWrite(dir, error);
  }
}

export async function startApiFromFlags(engine: Engine, where: ApiWhere, dir: string, log: (line: string) => void): Promise<StartedApi> {
  const { token, source } = apiToken(dir);
  const alpaca = alpacaKeys(dir);
  let api: HttpApi;
  try {
    api = await startHttpApi(engine, {
      host: where.host,
      port: where.port,
      token,
      alpaca,
      log,
      ...(where.maxEventStreams === undefined ? {} : { maxEventStreams: where.maxEventStreams }),
      ...(isWildcard(where.host) ? { allowedHosts: machineHosts(where.port) } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CommandError(`port ${where.port} is in use: choose another with --api-port N (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new CommandError(`cannot listen on ${where.host}:${where.port} (${code}): choose another --api-host or --api-port`);
    throw new CommandError(messageOf(error));
  }
  const notices = [
    `HTTP API on ${api.url}/api/paper (bearer token: ${source === API_TOKEN_ENV ? `$${API_TOKEN_ENV}` : source})`,
    `Alpaca's Trading API on ${api.url}/v2 (key ${alpaca.keyId}; paper-trader api-keys shows where its secret is)`,
  ];
  if (!LOOPBACK.has(where.host)) {
    notices.push(`warning: the HTTP API listens on ${where.host}, beyond this machine: anyone who can reach it and has the token can trade this account`);
  }
  return { api, notices };
}
