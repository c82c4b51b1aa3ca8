import type { RegisteredFunction } from '../../../tools/local-host/worker/functions-core';
import { httpRoutesFrom, RouteTable } from '../../../tools/local-host/http/route-table';

function httpFunction(name: string, route: string | undefined, methods?: string[]): RegisteredFunction {
  const trigger = { type: 'httpTrigger', direction: 'in' as const, route, methods, authLevel: 'anonymous' };
  return {
    name,
    metadata: { name, bindings: { req: trigger, $return: { type: 'http', direction: 'out' } } },
    callback: () => undefined,
    triggerName: 'req',
    trigger,
  };
}

function table(functions: RegisteredFunction[], prefix = 'api'): RouteTable {
  return new RouteTable(httpRoutesFrom(functions), prefix);
}

function resolvedName(t: RouteTable, method: string, path: string): string | undefined {
  const r = t.resolve(method, path);
  return r.kind === 'match' ? r.route.functionName : r.kind;
}

describe('route table', () => {
  const functions = [
    httpFunction('catch-all', '{*rest}', ['GET']),
    httpFunction('files-any', 'files/{*path}', ['GET']),
    httpFunction('files-by-name', 'files/{name}', ['GET']),
    httpFunction('files-readme', 'files/readme', ['GET']),
    httpFunction('two-params', '{a}/{b}', ['GET']),
    httpFunction('items', 'items', ['GET', 'POST']),
    httpFunction('items-get', 'items/{id}', ['GET']),
    httpFunction('items-delete', 'items/{id}', ['DELETE']),
    httpFunction('default-route', undefined, ['GET']),
  ];
  const t = table(functions);

  it('orders literal > parameter > catch-all, segment by segment', () => {
    expect(resolvedName(t, 'GET', '/api/files/readme')).toBe('files-readme');
    expect(resolvedName(t, 'GET', '/api/files/notes')).toBe('files-by-name');
    expect(resolvedName(t, 'GET', '/api/files/a/b')).toBe('files-any');
    expect(resolvedName(t, 'GET', '/api/other/thing')).toBe('two-params');
    expect(resolvedName(t, 'GET', '/api/x/y/z')).toBe('catch-all');
  });

  it('prefers more segments where both match', () => {
    expect(resolvedName(t, 'GET', '/api/items')).toBe('items');
    expect(resolvedName(t, 'GET', '/api/items/3')).toBe('items-get');
    const longer = table([httpFunction('short', '{a}/{*rest}', ['GET']), httpFunction('long', '{a}/{b}/{*rest}', ['GET'])]);
    expect(resolvedName(longer, 'GET', '/api/x/y/z')).toBe('long');
    expect(resolvedName(longer, 'GET', '/api/x')).toBe('short');
  });

  it('does not depend on registration order', () => {
    const reversed = table([...functions].reverse());
    expect(reversed.routes.map((r) => r.functionName)).toEqual(t.routes.map((r) => r.functionName));
  });

  it('defaults the route to the function name', () => {
    expect(resolvedName(t, 'GET', '/api/default-route')).toBe('default-route');
  });

  it('reports 405 with the methods of every matching route, unless another route accepts the method', () => {
    expect(t.resolve('PUT', '/api/items/5')).toEqual({ kind: 'method-not-allowed', allow: ['DELETE', 'GET'] });
    expect(resolvedName(t, 'DELETE', '/api/items/5')).toBe('items-delete');
    const withAnyMethod = table([httpFunction('get-one', 'things/{id}', ['GET']), httpFunction('fallback', '{*rest}')]);
    expect(resolvedName(withAnyMethod, 'PUT', '/api/things/1')).toBe('fallback');
  });

  it('answers not-found outside the prefix and when nothing matches', () => {
    const narrow = table([httpFunction('items', 'items', ['GET'])]);
    expect(narrow.resolve('GET', '/items')).toEqual({ kind: 'not-found' });
    expect(narrow.resolve('GET', '/api/nothing')).toEqual({ kind: 'not-found' });
    expect(resolvedName(narrow, 'GET', '/API/ITEMS')).toBe('items');
  });

  it('supports an empty and a multi-segment route prefix', () => {
    const fn = [httpFunction('items', 'items', ['GET'])];
    expect(resolvedName(table(fn, ''), 'GET', '/items')).toBe('items');
    expect(resolvedName(table(fn, 'v1/api'), 'GET', '/v1/api/items')).toBe('items');
    expect(table(fn, 'v1/api').resolve('GET', '/api/items').kind).toBe('not-found');
  });

  it('treats a function without methods as accepting all', () => {
    const any = table([httpFunction('any', 'any')]);
    for (const method of ['GET', 'POST', 'PATCH', 'OPTIONS', 'HEAD']) expect(resolvedName(any, method, '/api/any')).toBe('any');
  });

  it('refuses two functions on the same route and method', () => {
    expect(() => table([httpFunction('a', 'items/{id}', ['GET']), httpFunction('b', 'Items/{key}', ['GET', 'POST'])])).toThrow(
      /"a" and "b" both serve route/,
    );
    expect(() => table([httpFunction('a', 'items/{id}', ['GET']), httpFunction('b', 'items/{id}', ['POST'])])).not.toThrow();
  });

  it('names the function whose route is invalid', () => {
    expect(() => table([httpFunction('broken', 'a/{b', ['GET'])])).toThrow(/Function "broken"/);
    expect(() => table([httpFunction('constrained', 'items/{id:int}', ['GET'])])).toThrow(/Function "constrained".*not supported by the local host/);
  });
});
