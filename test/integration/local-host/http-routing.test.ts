import http from 'node:http';
import net from 'node:net';
import { startHost, type LocalHost } from '../../../tools/local-host/host';
import { collectingLogger, fixtureAppRoot, request } from './helpers';

type Problem = { type: string; title: string; status: number; detail?: string; code: string };

describe('local host: HTTP functions over real HTTP', () => {
  const { logger, entries } = collectingLogger();
  let host: LocalHost;
  let api: string;

  beforeAll(async () => {
    host = await startHost({
      appRoot: fixtureAppRoot,
      port: 0,
      logger,
      triggers: { blob: false, queue: false, timer: false },
      extraRoutes: [
        {
          method: 'GET',
          path: '/.well-known/jwks.json',
          handler: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"keys":[]}' }),
        },
      ],
    });
    api = `${host.url}/api`;
  });

  afterAll(async () => {
    await host?.close();
  });

  it('lists the registered functions with their routes', () => {
    const itemsGet = host.functions.find((f) => f.name === 'items-get');
    expect(itemsGet).toMatchObject({ triggerType: 'httpTrigger', active: true, methods: ['GET'] });
    expect(itemsGet?.url).toBe(`${host.url}/api/items/{id}`);
    expect(host.functions.find((f) => f.name === 'blob-seen')).toMatchObject({ triggerType: 'blobTrigger', active: false });
  });

  it('passes route params and repeated query values to a GET function', async () => {
    const res = await request(`${api}/items/42?q=a&q=b`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ fn: 'items-get', id: '42', q: ['a', 'b'], url: `${api}/items/42?q=a&q=b` });
  });

  it('matches literal segments case-insensitively', async () => {
    const res = await request(`${host.url}/API/Items/7`);
    expect(res.json()).toMatchObject({ fn: 'items-get', id: '7' });
  });

  it('delivers a POST body and passes the status and headers the function set', async () => {
    const res = await request(`${api}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 9, name: 'ladder' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/items/9');
    expect(res.headers['x-custom']).toBe('yes');
    expect(res.headers['x-request-id']).toBeUndefined();
    expect(res.json()).toEqual({ fn: 'items-create', received: { id: 9, name: 'ladder' } });
  });

  it('round-trips arbitrary body bytes unchanged', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) % 256));
    const res = await request(`${api}/echo`, {
      method: 'PUT',
      headers: { 'content-type': 'application/x-test-bytes' },
      body: bytes,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-test-bytes');
    expect(res.headers['x-length']).toBe(String(bytes.length));
    expect(res.body.equals(bytes)).toBe(true);
  });

  it('passes through status, headers and cookies, and sends no body for 204', async () => {
    const teapot = await request(`${api}/status/418`);
    expect(teapot.status).toBe(418);
    expect(teapot.headers['x-from-function']).toBe('yes');
    expect(teapot.headers['cache-control']).toBe('no-store');
    expect(teapot.headers['set-cookie']).toEqual(['session=abc; Path=/; HttpOnly; SameSite=Strict']);
    expect(teapot.text).toBe('status 418');

    const empty = await request(`${api}/status/204`);
    expect(empty.status).toBe(204);
    expect(empty.body.length).toBe(0);

    const nothingReturned = await request(`${api}/items/3`, { method: 'DELETE' });
    expect(nothingReturned.status).toBe(204);
  });

  it('answers 405 with Allow when the path matches but the method does not', async () => {
    const res = await request(`${api}/items/5`, { method: 'PATCH' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('DELETE, GET');
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json<Problem>()).toMatchObject({ type: 'about:blank', status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('honours the methods of every route that matches, catch-all included', async () => {
    // files/{*path} is GET-only, so POST under files/ is 405 rather than a match.
    const res = await request(`${api}/files/a/b`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });

  it('accepts any method on a function registered without methods', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'OPTIONS']) {
      const res = await request(`${api}/any`, { method });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ method });
    }
  });

  it('answers 404 problem+json for unknown routes', async () => {
    for (const path of ['/api/nothing-here', '/elsewhere', '/api/items/abc/def', '/api/status']) {
      const res = await request(`${host.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.json<Problem>()).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: expect.any(String),
        code: 'NOT_FOUND',
      });
    }
  });

  it('prefers literal over parameter over catch-all', async () => {
    expect((await request(`${api}/files/readme`)).json()).toEqual({ fn: 'files-readme' });
    expect((await request(`${api}/files/notes`)).json()).toEqual({ fn: 'files-by-id', id: 'notes' });
    expect((await request(`${api}/files/docs/a%20b.txt`)).json()).toEqual({ fn: 'files-catch-all', path: 'docs/a b.txt' });
    expect((await request(`${api}/files`)).json()).toEqual({ fn: 'files-catch-all', path: null });
  });

  it('serves a final catch-all with and without a value', async () => {
    expect((await request(`${api}/greet`)).json()).toEqual({ name: null });
    expect((await request(`${api}/greet/ada`)).json()).toEqual({ name: 'ada' });
  });

  it('turns a throwing handler into a 500 without detail and logs it with the invocation id', async () => {
    const res = await request(`${api}/boom`, { headers: { 'x-request-id': 'trace-123.abc:9' } });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['x-request-id']).toBe('trace-123.abc:9');
    expect(res.json()).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'INTERNAL' });
    expect(res.text).not.toMatch(/secret|stack|http\.function/);
    const failure = entries.find((e) => e.functionName === 'boom' && e.level === 'error');
    expect(failure?.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failure?.message).toContain(failure?.invocationId);
    expect(String((failure?.error as Error).message)).toContain('secret connection string');
  });

  it('reuses a safe x-request-id and replaces an unsafe one', async () => {
    const safe = await request(`${api}/nothing`, { headers: { 'x-request-id': 'abc-DEF_1.2:3' } });
    expect(safe.headers['x-request-id']).toBe('abc-DEF_1.2:3');
    const unsafe = await request(`${api}/nothing`, { headers: { 'x-request-id': 'bad id <script>' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await request(`${api}/nothing`, { headers: { 'x-request-id': 'a'.repeat(129) } });
    expect(tooLong.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a declared body over 100 MiB with 413 before reading it', async () => {
    const res = await new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = http.request(`${api}/echo`, {
        method: 'POST',
        headers: { 'content-length': String(100 * 1024 * 1024 + 1), 'content-type': 'application/octet-stream' },
      });
      req.on('response', (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
      // Never send the rest: the host must answer without waiting for it.
    });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers headers over the parser\'s limit, and a request that is not HTTP, with problem+json and an x-request-id', async () => {
    const big = await request(`${api}/nothing`, { headers: { authorization: `Bearer ${'a'.repeat(17_000)}` } });
    expect(big.status).toBe(431);
    expect(big.headers['content-type']).toBe('application/problem+json');
    expect(big.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(big.body.toString())).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
    const garbage = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(host.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(garbage).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/);
    expect(JSON.parse(garbage.split('\r\n\r\n')[1]!)).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });

  it('runs post-invocation hooks registered by the app', async () => {
    expect((await request(`${api}/items`)).json()).toEqual({ fn: 'items-list', hooked: true });
  });

  it('routes user logs from context.log with the function and invocation', async () => {
    await request(`${api}/items/11`);
    const log = entries.find((e) => e.category === 'user' && e.message === 'reading item 11');
    expect(log).toMatchObject({ functionName: 'items-get', level: 'information' });
  });

  it('logs once that authLevel is not enforced', () => {
    expect(entries.filter((e) => /authLevel/.test(e.message))).toHaveLength(1);
  });

  it('serves extra routes outside the route prefix, with 405 for other methods', async () => {
    const res = await request(`${host.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ keys: [] });
    expect(res.headers['x-request-id']).toBeDefined();
    const post = await request(`${host.url}/.well-known/jwks.json`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });

  it('keeps connections alive between requests', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await request(`${api}/items/1`, { agent });
      const second = await request(`${api}/items/2`, { agent });
      const third = await request(`${api}/nothing`, { agent });
      expect(first.reusedSocket).toBe(false);
      expect(second.reusedSocket).toBe(true);
      expect(third.reusedSocket).toBe(true);
      expect(first.headers.connection).toBe('keep-alive');
    } finally {
      agent.destroy();
    }
  });
});

describe('local host: limits and shutdown', () => {
  it('stops reading a chunked body at the limit, and close() finishes in-flight requests', async () => {
    const { logger } = collectingLogger();
    const host = await startHost({
      appRoot: fixtureAppRoot,
      port: 0,
      logger,
      maxRequestBodyBytes: 64 * 1024,
      triggers: { blob: false, queue: false, timer: false },
    });
    try {
      const tooBig = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${host.url}/api/echo`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        const chunk = Buffer.alloc(16 * 1024, 1);
        for (let i = 0; i < 5; i++) req.write(chunk);
      });
      expect(tooBig).toBe(413);

      const justFits = await request(`${host.url}/api/echo`, { method: 'POST', body: Buffer.alloc(64 * 1024, 2) });
      expect(justFits.status).toBe(200);

      const agent = new http.Agent({ keepAlive: true });
      const slow = request(`${host.url}/api/slow/400`, { agent });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const closed = host.close();
      const res = await slow;
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ slept: 400 });
      expect(res.headers.connection).toBe('close');
      await closed;
      agent.destroy();
      await expect(request(`${host.url}/api/items/1`)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await host.close();
    }
  });
});
