import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request } from '../../../bench/http-client';

/**
 * The benchmarks' client against a loopback server that drops a kept-alive connection when a
 * second request arrives on it, as a host closing an idle connection just as the request went
 * out: the request is sent again once on a new connection; without that it fails ("socket hang up").
 */
describe("the benchmarks' HTTP client", () => {
  let server: Server;
  let base: string;
  const seen = new WeakMap<Socket, number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const n = (seen.get(req.socket) ?? 0) + 1;
      seen.set(req.socket, n);
      if (n > 1) return void req.socket.destroy();
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends again, once, a request whose kept-alive connection was closed under it', async () => {
    expect(await request(`${base}/a`)).toEqual({ status: 200, text: 'ok' });
    expect(await request(`${base}/b`, 'POST', {}, '{}')).toEqual({ status: 200, text: 'ok' });
    // Not sent again: the connection's drop is the answer.
    await request(`${base}/c`);
    await expect(request(`${base}/d`, 'GET', {}, undefined, false)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
