import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERROR_CODES, API_ROUTES } from '../../src/api/index.ts';
import { quote, T0 } from '../helpers/engine-rig.ts';
import { apiRig, type ApiRig } from './api-rig.ts';

const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

const documented = (): string[] =>
  Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, item]) => Object.keys(item).filter((key) => METHODS.includes(key)).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();

let api: ApiRig;
beforeAll(async () => {
  api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
});
afterAll(() => api.close());

describe('docs/openapi.json', () => {
  it('is OpenAPI 3.1 and lists exactly the routes the server serves', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(documented()).toEqual(API_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('documents routes the running server answers (none of them is an unknown route or method)', async () => {
    for (const operation of documented()) {
      const [method, path] = operation.split(' ') as [string, string];
      if (path.endsWith('/events')) continue; // an endless stream: its route is checked in the event-stream test
      const reply = await api.request(method, path.replace('{id}', 'o-1'), method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      expect(['route_not_found', 'method_not_allowed'], operation).not.toContain(reply.json?.error?.code);
    }
    const unknown = await api.request('GET', '/api/paper/not-a-route');
    expect(unknown.json.error.code).toBe('route_not_found');
  });

  it('documents every error code and resolves every $ref', () => {
    expect([...doc.components.schemas.Error.properties.error.properties.code.enum].sort()).toEqual([...API_ERROR_CODES].sort());
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const pointer = ref.slice(8, -1).replace(/^#\//, '').split('/');
      const target = pointer.reduce<any>((node, key) => node?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('gives every operation a bearer requirement and the error responses it can return', () => {
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const item of Object.values(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const operation of Object.values(item)) {
        for (const status of ['401', '403', '404', '405', '429', '500']) expect(Object.keys(operation.responses)).toContain(status);
      }
    }
    expect(Object.keys(doc.paths['/api/paper/order'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '413', '422']));
    expect(Object.keys(doc.paths['/api/paper/orders/{id}'].delete.responses)).toEqual(expect.arrayContaining(['200', '404', '409']));
  });
});
