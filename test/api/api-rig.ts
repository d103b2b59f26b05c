// An engine on a replayed market behind a real HTTP API on 127.0.0.1, and a raw node:http client
// (fetch would not let a test send a wrong Host header or a half-valid body).
import { Agent, request as httpRequest } from 'node:http';
import { startHttpApi, type HttpApi, type HttpApiOptions } from '../../src/api/index.ts';
import { engineRig, type EngineRig, type PolygonEvent, type RigOptions } from '../helpers/engine-rig.ts';

export const TOKEN = 'test-token-0123456789abcdef';

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as JSON (undefined when it is not JSON). */
  json: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** false: no Authorization header. Default: the right token. */
  token?: string | false;
}

export interface ApiRig {
  readonly rig: EngineRig;
  readonly api: HttpApi;
  readonly logLines: string[];
  request(method: string, path: string, options?: RequestOptions): Promise<HttpReply>;
  close(): Promise<void>;
}

export async function apiRig(
  events: readonly PolygonEvent[],
  apiOptions: Partial<HttpApiOptions> = {},
  rigOptions: RigOptions = { symbols: ['AAPL', 'MSFT'] },
): Promise<ApiRig> {
  const rig = await engineRig(events, rigOptions);
  const logLines: string[] = [];
  const api = await startHttpApi(rig.engine, { token: TOKEN, log: (line) => logLines.push(line), ...apiOptions });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  return {
    rig,
    api,
    logLines,
    request: (method, path, options = {}) => send(api.url, agent, method, path, options),
    async close() {
      agent.destroy();
      await api.close();
      await rig.engine.stop();
    },
  };
}

export function send(baseUrl: string, agent: Agent | undefined, method: string, path: string, options: RequestOptions = {}): Promise<HttpReply> {
  const url = new URL(path, baseUrl);
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers };
  const token = options.token ?? TOKEN;
  if (token !== false) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The error shape every failure must have. */
export function expectErrorShape(reply: HttpReply): { code: string; message: string } {
  const error = reply.json?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || error.message.length === 0) {
    throw new Error(`expected { error: { code, message } } with status ${reply.status}, got ${reply.text.slice(0, 200)}`);
  }
  if (/[\r\n]|\bat .*\(.*:\d+:\d+\)/.test(error.message) || error.message.length > 400) throw new Error(`the error message is not one clean line: ${error.message}`);
  return error;
}
