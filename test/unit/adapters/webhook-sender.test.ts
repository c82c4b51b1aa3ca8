import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConnectRequest,
  type Connector,
  type Resolver,
  isForbiddenAddress,
  postWebhook,
  webhookUrlProblem,
} from '../../../shared/adapters/webhook-sender';

/**
 * SSRF defence for webhooks. Refusals run against an injected resolver and a connector that only
 * records, so nothing leaves the machine; the end-to-end tests talk to servers on 127.0.0.1 only.
 */

const BODY = JSON.stringify({ event: 'profile.updated', id: 'p-1' });
const HEADERS = { 'x-daybreak-signature': 'sha256=abc' };

function recordingConnector(status = 200): Connector & { calls: ConnectRequest[] } {
  const calls: ConnectRequest[] = [];
  const connect = async (request: ConnectRequest) => {
    calls.push(request);
    return { status };
  };
  return Object.assign(connect, { calls });
}

function fixedResolver(...addresses: string[]): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));
  };
  return Object.assign(resolve, { calls });
}

describe('isForbiddenAddress', () => {
  it.each([
    '0.0.0.0', '10.0.0.5', '100.64.0.1', '100.127.255.254', '127.0.0.1', '127.255.0.9', '169.254.169.254',
    '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.0.2.1', '192.168.1.1', '198.18.0.1', '198.19.255.255',
    '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
    '::', '::1', 'fc00::1', 'fd00::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'ff02::1', '2001:db8::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:a00:5', '::ffff:169.254.169.254', '64:ff9b::10.0.0.1', '64:ff9b::a9fe:a9fe',
    'not-an-ip', '', '010.0.0.1',
  ])('forbids %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34', '8.8.8.8', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.169.0.1',
    '198.20.0.1', '223.255.255.255', '2606:2800:220:1:248:1893:25c8:1946', '2001:4860:4860::8888',
    '::ffff:93.184.216.34', '64:ff9b::5db8:d822',
  ])('allows %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('webhookUrlProblem', () => {
  it('accepts https to a public name or address, on any port', () => {
    expect(webhookUrlProblem('https://hooks.example.com/daybreak?x=1', false)).toBeNull();
    expect(webhookUrlProblem('https://93.184.216.34:8443/hook', false)).toBeNull();
  });

  it.each([
    ['not a url', 'not a valid URL'],
    ['http://hooks.example.com/', 'https'],
    ['ftp://hooks.example.com/', 'https'],
    ['https://user:secret@hooks.example.com/', 'username or password'],
    ['https://user@hooks.example.com/', 'username or password'],
    ['https://10.0.0.1/', '10.0.0.1'],
    ['https://[::1]/', '::1'],
    ['https://169.254.169.254/latest', '169.254.169.254'],
    ['https://0x7f.1/', '127.0.0.1'], // WHATWG URL normalises odd IPv4 spellings before we look
    [`https://hooks.example.com/${'a'.repeat(2048)}`, 'longer than 2048'],
  ])('refuses %s', (url, reason) => {
    expect(webhookUrlProblem(url, false)).toContain(reason);
  });

  it('allows http only to a loopback host, and only with allowLoopbackHttp', () => {
    for (const url of ['http://127.0.0.1:7071/hook', 'http://[::1]/hook', 'http://localhost:8080/hook']) {
      expect(webhookUrlProblem(url, true)).toBeNull();
      expect(webhookUrlProblem(url, false)).toContain('https');
    }
    expect(webhookUrlProblem('http://hooks.example.com/', true)).toContain('https');
    expect(webhookUrlProblem('http://10.0.0.1/', true)).toContain('https');
  });

  it('keeps every non-loopback range closed when loopback is allowed', () => {
    expect(webhookUrlProblem('https://127.0.0.1/', true)).toBeNull();
    expect(webhookUrlProblem('https://169.254.169.254/', true)).toContain('169.254.169.254');
    expect(webhookUrlProblem('https://[fd00::1]/', true)).toContain('fd00::1');
  });
});

describe('postWebhook refusals (nothing is connected)', () => {
  it.each([
    [['10.0.0.5']],
    [['169.254.169.254']],
    [['::1']],
    [['fe80::1']],
    [['fd00::1']],
    [['::ffff:127.0.0.1']],
    [['93.184.216.34', '10.1.2.3']], // a rebinding answer mixes a public address with a private one
    [['10.1.2.3', '93.184.216.34']],
    [['100.64.0.1']],
    [['0.0.0.0']],
  ])('refuses a name that resolves to %j', async (addresses) => {
    const resolve = fixedResolver(...addresses);
    const connect = recordingConnector();
    const outcome = await postWebhook('https://hooks.example.com/hook', HEADERS, BODY, { allowLoopbackHttp: false, resolve, connect });
    expect(outcome.kind).toBe('refused');
    expect(resolve.calls).toEqual(['hooks.example.com']);
    expect(connect.calls).toHaveLength(0);
  });

  it('keeps private ranges closed even when loopback is allowed', async () => {
    const connect = recordingConnector();
    for (const address of ['10.0.0.5', '169.254.169.254', 'fd00::1']) {
      const outcome = await postWebhook('https://hooks.example.com/', HEADERS, BODY, { allowLoopbackHttp: true, resolve: fixedResolver(address), connect });
      expect(outcome.kind).toBe('refused');
    }
    expect(connect.calls).toHaveLength(0);
  });

  it.each(['https://10.0.0.1/', 'https://[::1]/', 'https://169.254.169.254/latest', 'https://[::ffff:a9fe:a9fe]/'])(
    'refuses the IP literal %s without resolving',
    async (url) => {
      const resolve = fixedResolver('93.184.216.34');
      const connect = recordingConnector();
      const outcome = await postWebhook(url, HEADERS, BODY, { allowLoopbackHttp: false, resolve, connect });
      expect(outcome.kind).toBe('refused');
      expect(resolve.calls).toHaveLength(0);
      expect(connect.calls).toHaveLength(0);
    },
  );

  it('refuses http to a public name without resolving, even with allowLoopbackHttp', async () => {
    for (const allowLoopbackHttp of [false, true]) {
      const resolve = fixedResolver('93.184.216.34');
      const connect = recordingConnector();
      const outcome = await postWebhook('http://hooks.example.com/hook', HEADERS, BODY, { allowLoopbackHttp, resolve, connect });
      expect(outcome).toEqual({ kind: 'refused', reason: expect.stringContaining('https') });
      expect(resolve.calls).toHaveLength(0);
      expect(connect.calls).toHaveLength(0);
    }
  });

  it('refuses https with credentials without resolving', async () => {
    const resolve = fixedResolver('93.184.216.34');
    const connect = recordingConnector();
    const outcome = await postWebhook('https://user:pw@hooks.example.com/', HEADERS, BODY, { allowLoopbackHttp: false, resolve, connect });
    expect(outcome.kind).toBe('refused');
    expect(resolve.calls).toHaveLength(0);
    expect(connect.calls).toHaveLength(0);
  });

  it('refuses http to localhost when localhost does not resolve to loopback', async () => {
    const connect = recordingConnector();
    const outcome = await postWebhook('http://localhost/hook', HEADERS, BODY, { allowLoopbackHttp: true, resolve: fixedResolver('93.184.216.34'), connect });
    expect(outcome.kind).toBe('refused');
    expect(connect.calls).toHaveLength(0);
  });
});

describe('postWebhook with an injected connector', () => {
  it('connects to the checked public address, pinned, with the original URL and headers', async () => {
    const resolve = fixedResolver('93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946');
    const connect = recordingConnector(204);
    const outcome = await postWebhook('https://hooks.example.com:8443/hook?a=1', HEADERS, BODY, { allowLoopbackHttp: false, resolve, connect, timeoutMs: 5000 });
    expect(outcome).toEqual({ kind: 'answered', status: 204 });
    expect(connect.calls).toHaveLength(1);
    const [request] = connect.calls;
    expect(request?.url.href).toBe('https://hooks.example.com:8443/hook?a=1');
    expect(request).toMatchObject({ address: '93.184.216.34', family: 4, body: BODY });
    expect(request?.headers).toEqual({
      ...HEADERS,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(BODY)),
    });
    expect(request?.timeoutMs).toBeLessThanOrEqual(5000);
  });

  it('keeps a caller content-type and drops a caller Host or Content-Length that could contradict the URL or body', async () => {
    const connect = recordingConnector();
    await postWebhook('https://hooks.example.com/', { 'Content-Type': 'application/cloudevents+json', Host: 'metadata.internal', 'Content-Length': '1' }, 'é', {
      allowLoopbackHttp: false,
      resolve: fixedResolver('93.184.216.34'),
      connect,
    });
    expect(connect.calls[0]?.headers).toEqual({ 'Content-Type': 'application/cloudevents+json', 'content-length': '2' });
  });

  it('allows loopback http only with allowLoopbackHttp', async () => {
    const allowed = recordingConnector(202);
    expect(await postWebhook('http://127.0.0.1:7071/hook', HEADERS, BODY, { allowLoopbackHttp: true, connect: allowed })).toEqual({ kind: 'answered', status: 202 });
    expect(allowed.calls[0]).toMatchObject({ address: '127.0.0.1', family: 4 });

    const ipv6 = recordingConnector(202);
    expect(await postWebhook('http://[::1]:7071/hook', HEADERS, BODY, { allowLoopbackHttp: true, connect: ipv6 })).toEqual({ kind: 'answered', status: 202 });
    expect(ipv6.calls[0]).toMatchObject({ address: '::1', family: 6 });

    const local = recordingConnector(202);
    const resolve = fixedResolver('127.0.0.1');
    expect(await postWebhook('http://localhost:7071/hook', HEADERS, BODY, { allowLoopbackHttp: true, resolve, connect: local })).toEqual({ kind: 'answered', status: 202 });
    expect(local.calls[0]?.address).toBe('127.0.0.1');

    const refused = recordingConnector();
    expect((await postWebhook('http://127.0.0.1:7071/hook', HEADERS, BODY, { allowLoopbackHttp: false, connect: refused })).kind).toBe('refused');
    expect(refused.calls).toHaveLength(0);
  });

  it('reports DNS failures, empty answers, connection errors and a hanging resolver as failed, never throwing', async () => {
    const connect = recordingConnector();
    const base = { allowLoopbackHttp: false, connect };
    const notFound: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.com'), { code: 'ENOTFOUND' });
    };
    expect(await postWebhook('https://hooks.example.com/', HEADERS, BODY, { ...base, resolve: notFound })).toEqual({ kind: 'failed', reason: expect.stringContaining('ENOTFOUND') });
    expect(await postWebhook('https://hooks.example.com/', HEADERS, BODY, { ...base, resolve: fixedResolver() })).toEqual({ kind: 'failed', reason: expect.stringContaining('no addresses') });
    const hanging: Resolver = () => new Promise(() => undefined);
    expect(await postWebhook('https://hooks.example.com/', HEADERS, BODY, { ...base, resolve: hanging, timeoutMs: 50 })).toEqual({ kind: 'failed', reason: 'timeout' });
    expect(connect.calls).toHaveLength(0);

    const refusing: Connector = async () => {
      throw new Error('connect ECONNREFUSED 93.184.216.34:443');
    };
    expect(await postWebhook('https://hooks.example.com/', HEADERS, BODY, { allowLoopbackHttp: false, resolve: fixedResolver('93.184.216.34'), connect: refusing })).toEqual({
      kind: 'failed',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('postWebhook end to end on 127.0.0.1 (default resolver and connector)', () => {
  const servers: http.Server[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** A receiver on 127.0.0.1 that records each request in full before handing it to `answer`. */
  async function receiver(answer: (response: http.ServerResponse, port: number) => void): Promise<{ url: string; port: number; seen: Seen[] }> {
    const seen: Seen[] = [];
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(response, port);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return { url: `http://127.0.0.1:${port}/hook`, port, seen };
  }

  it('delivers the body and headers and reports the status', async () => {
    const { url, port, seen } = await receiver((response) => response.writeHead(202).end('queued'));
    expect(await postWebhook(url, HEADERS, BODY, { allowLoopbackHttp: true })).toEqual({ kind: 'answered', status: 202 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/hook', body: BODY });
    expect(seen[0]?.headers).toMatchObject({
      ...HEADERS,
      host: `127.0.0.1:${port}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(BODY)),
    });
  });

  it('connects a named host to the checked address while the Host header keeps the name', async () => {
    const { port, seen } = await receiver((response) => response.writeHead(204).end());
    const resolve = fixedResolver('127.0.0.1');
    expect(await postWebhook(`http://localhost:${port}/hook`, HEADERS, BODY, { allowLoopbackHttp: true, resolve })).toEqual({ kind: 'answered', status: 204 });
    expect(resolve.calls).toEqual(['localhost']);
    expect(seen[0]?.headers.host).toBe(`localhost:${port}`);
  });

  it('reports a server error as answered', async () => {
    const { url } = await receiver((response) => response.writeHead(500).end('boom'));
    expect(await postWebhook(url, HEADERS, BODY, { allowLoopbackHttp: true })).toEqual({ kind: 'answered', status: 500 });
  });

  it('reports a redirect as answered and does not follow it', async () => {
    const { url, seen } = await receiver((response, port) => response.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end());
    expect(await postWebhook(url, HEADERS, BODY, { allowLoopbackHttp: true })).toEqual({ kind: 'answered', status: 302 });
    expect(seen.map((request) => request.url)).toEqual(['/hook']);
  });

  it('stops reading a large reply after 64 KiB and still reports the status', async () => {
    const { url } = await receiver((response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write(Buffer.alloc(256 * 1024)); // and never ends
    });
    expect(await postWebhook(url, HEADERS, BODY, { allowLoopbackHttp: true, timeoutMs: 5000 })).toEqual({ kind: 'answered', status: 200 });
  });

  it('gives up on a receiver that never answers', async () => {
    const { url, seen } = await receiver(() => undefined);
    const started = Date.now();
    expect(await postWebhook(url, HEADERS, BODY, { allowLoopbackHttp: true, timeoutMs: 300 })).toEqual({ kind: 'failed', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(seen).toHaveLength(1);
  });

  it('reports a closed port as failed', async () => {
    const { port } = await receiver(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    expect(await postWebhook(`http://127.0.0.1:${port}/hook`, HEADERS, BODY, { allowLoopbackHttp: true })).toEqual({
      kind: 'failed',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('refuses the loopback receiver without allowLoopbackHttp, and the receiver sees nothing', async () => {
    let connections = 0;
    const { url, seen } = await receiver((response) => response.writeHead(202).end());
    servers[0]?.on('connection', () => (connections += 1));
    expect((await postWebhook(url, HEADERS, BODY, { allowLoopbackHttp: false })).kind).toBe('refused');
    expect(seen).toHaveLength(0);
    expect(connections).toBe(0);
  });
});

describe('ranges added after review', () => {
  it.each(['168.63.129.16', '::7f00:1', '::10.0.0.1', '2002:a00:1::', 'fec0::1', '64:ff9b:1::a00:1', '::ffff:0:7f00:1'])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });
  it.each(['168.63.129.17', '2606:4700::1111', '93.184.216.34'])('allows %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});
