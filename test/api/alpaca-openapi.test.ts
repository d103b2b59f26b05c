// docs/alpaca-openapi.json against Alpaca's route table and the running server: every route is
// documented once, answered where documented, its $refs resolve, its errors and key headers are said.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALPACA_ROUTES } from '../../src/api/index.ts';
import { quote, T0 } from '../helpers/engine-rig.ts';
import { apiRig, type ApiRig, type HttpReply } from './api-rig.ts';

const doc = JSON.parse(readFileSync(new URL('../../docs/alpaca-openapi.json', import.meta.url), 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const KEYS = { keyId: 'PKDOCSKEY0123456789A', secret: 'docs-secret-0123456789abcdefghijklmnopqr' };
const KEY_HEADERS = { 'apca-api-key-id': KEYS.keyId, 'apca-api-secret-key': KEYS.secret };

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
}

/** Every documented operation, named "METHOD path", sorted. */
const operations = (): { name: string; method: string; path: string; operation: Operation }[] =>
  Object.entries(doc.paths as Record<string, Record<string, Operation>>)
    .flatMap(([path, item]) => Object.entries(item).filter(([key]) => METHODS.includes(key)).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, operation })))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** The path a test requests: an order that does not exist, a stock, the fills. */
const filled = (path: string): string => path.replace('{id}', 'o-999999').replace('{symbol}', 'AAPL').replace('{type}', 'FILL');

/** The server's answer to a path or method it has no route for (a missing order or position is 404 too, with its own message). */
const unrouted = (reply: HttpReply): boolean => reply.status === 405 || (reply.status === 404 && reply.json?.code === 40410000 && /route not found/i.test(String(reply.json?.message)));

let api: ApiRig;
const alpaca = (method: string, path: string, body?: unknown): Promise<HttpReply> =>
  api.request(method, path, { token: false, headers: KEY_HEADERS, ...(body === undefined ? {} : { body }) });

beforeAll(async () => {
  api = await apiRig([quote('AAPL', T0, 100, 100.02)], { alpaca: KEYS });
  await api.rig.step();
});
afterAll(() => api.close());

describe('docs/alpaca-openapi.json', () => {
  it('is OpenAPI 3.1 and lists exactly the Alpaca routes the server serves, once each', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(operations().map(({ name }) => name)).toEqual(ALPACA_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names each path's parameters, no more and no fewer", () => {
    for (const { name, path, operation } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const documented = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name).sort();
      expect(documented, name).toEqual(inPath);
    }
  });

  it('documents routes the running server answers (none is an unknown route or method), each with a status it documents', async () => {
    for (const { name, method, path, operation } of operations()) {
      const reply = await alpaca(method, filled(path), method === 'POST' || method === 'PATCH' ? {} : undefined);
      expect(reply.status, `${name}: ${reply.text}`).not.toBe(401);
      expect(unrouted(reply), `${name}: ${reply.status} ${reply.text}`).toBe(false);
      expect(Object.keys(operation.responses), `${name} answered ${reply.status} ${reply.text}`).toContain(String(reply.status));
    }
    const unknownPath = await alpaca('GET', '/v2/not-a-route');
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.json.code).toBe(40410000);
    expect(unrouted(unknownPath)).toBe(true);
    const unknownMethod = await alpaca('PUT', '/v2/account');
    expect(unknownMethod.status).toBe(405);
    expect(unknownMethod.json.code).toBe(40510000);
  });

  it('resolves every $ref', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\//);
      const pointer = ref.slice(2).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
      const target = pointer.reduce<any>((node, key) => node?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('gives every operation the error responses any Alpaca route can return, and each route its own', () => {
    const responsesOf = (method: string, path: string): string[] => Object.keys(doc.paths[path][method.toLowerCase()].responses);
    for (const { name, operation } of operations()) {
      for (const status of ['401', '403', '404', '405', '429', '500']) {
        // Each a shared response whose body is Alpaca's error.
        const ref = (operation.responses[status] as { $ref?: string } | undefined)?.$ref ?? '';
        expect(ref, `${name} ${status}`).toMatch(/^#\/components\/responses\/\w+$/);
        expect(doc.components.responses[ref.split('/').at(-1)!]?.content?.['application/json']?.schema, `${name} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
    expect(responsesOf('POST', '/v2/orders')).toEqual(expect.arrayContaining(['200', '403', '413', '422']));
    expect(responsesOf('PATCH', '/v2/orders/{id}')).toEqual(expect.arrayContaining(['200', '413', '422']));
    expect(responsesOf('DELETE', '/v2/orders/{id}')).toEqual(expect.arrayContaining(['204', '422']));
    expect(responsesOf('DELETE', '/v2/orders')).toContain('207');
    expect(responsesOf('DELETE', '/v2/positions')).toContain('207');
    for (const [method, path] of [['DELETE', '/v2/positions/{symbol}'], ['GET', '/v2/orders'], ['GET', '/v2/account/activities'], ['GET', '/v2/account/activities/{type}'], ['GET', '/v2/account/portfolio/history']] as const) {
      expect(responsesOf(method, path), `${method} ${path}`).toContain('422');
    }
    const error = doc.components.schemas.Error;
    expect(error.required).toEqual(expect.arrayContaining(['code', 'message']));
    expect(error.properties.code.type).toBe('integer');
    expect(error.properties.message.type).toBe('string');
  });

  it("takes Alpaca's key pair in the two headers it documents, and nothing else", async () => {
    expect(doc.security).toEqual([{ keyId: [], secretKey: [] }]);
    const schemes = doc.components.securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual(['keyId', 'secretKey']);
    expect(schemes.keyId).toMatchObject({ type: 'apiKey', in: 'header', name: 'APCA-API-KEY-ID' });
    expect(schemes.secretKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'APCA-API-SECRET-KEY' });
    // The documented headers open the API; either alone does not.
    const headers = { [schemes.keyId.name]: KEYS.keyId, [schemes.secretKey.name]: KEYS.secret };
    expect((await api.request('GET', '/v2/account', { token: false, headers })).status).toBe(200);
    expect((await api.request('GET', '/v2/account', { token: false, headers: { [schemes.keyId.name]: KEYS.keyId } })).status).toBe(401);
    expect((await api.request('GET', '/v2/account', { token: false, headers: { [schemes.secretKey.name]: KEYS.secret } })).status).toBe(401);
  });
});
