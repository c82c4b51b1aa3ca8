import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { request } from './helpers';
import { rssOf } from '../support/own-stack';

const fixture = path.resolve(__dirname, '../../fixtures/host-app-stream');


/**
 * An app that calls app.setup({ enableHttpStream: true }). The library's switch is global to a
 * process, so the host serves it in a child process (serve.js) rather than in this test's.
 */
describe('local host: HTTP streaming (enableHttpStream)', () => {
  let child: ChildProcess;
  let api: string;

  beforeAll(async () => {
    child = spawn(process.execPath, [path.join(fixture, 'serve.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const line = out.split('\n')[0];
        if (out.includes('\n')) resolve((JSON.parse(line!) as { url: string }).url);
      });
      child.once('exit', (code) => reject(new Error(`serve.js exited with ${code}`)));
    });
    api = `${url}/api`;
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('relays chunks as the function produces them, with its status and headers', async () => {
    const started = Date.now();
    const arrivals: number[] = [];
    const { status, headers, body } = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        http
          .get(`${api}/stream?n=5&size=8&delayMs=300`, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => {
              arrivals.push(Date.now() - started);
              text += chunk.toString('latin1');
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
            res.on('error', reject);
          })
          .on('error', reject);
      },
    );
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/octet-stream');
    expect(headers['x-custom']).toBe('streamed');
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(headers['x-ms-invocation-id']).toBeUndefined();
    expect(body).toBe('aaaaaaaabbbbbbbbccccccccddddddddeeeeeeee');
    // The first chunk arrives long before the last one is produced: nothing waited for the whole body.
    expect(arrivals.length).toBeGreaterThanOrEqual(2);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(900);
  });

  it('delivers the request (route params, query, headers, body) and cookies through the proxy', async () => {
    const res = await request(`${api}/echo/42?q=a&q=b`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-request-id': 'req-stream-1' },
      body: 'hello body',
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/echo/42');
    expect(res.headers['set-cookie']?.[0]).toMatch(/^session=abc; Path=\/; HttpOnly/);
    expect(res.json()).toEqual({
      id: '42',
      q: ['a', 'b'],
      url: `${api}/echo/42?q=a&q=b`,
      contentType: 'text/plain',
      requestId: 'req-stream-1',
      body: 'hello body',
    });
  });

  it('answers a bare 500 problem when the function fails before responding', async () => {
    const res = await request(`${api}/throws`);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.text).not.toContain('secret');
  });

  it('cuts the transfer short when the body fails after it started (the status cannot change)', async () => {
    const outcome = await new Promise<{ status: number; received: number; completed: boolean }>((resolve) => {
      http.get(`${api}/stream?n=10&size=1024&delayMs=50&failAfter=3`, (res) => {
        let received = 0;
        res.on('data', (chunk: Buffer) => (received += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, received, completed: res.complete }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, received, completed: false }));
        res.on('aborted', () => resolve({ status: res.statusCode ?? 0, received, completed: false }));
      });
    });
    expect(outcome.status).toBe(200);
    expect(outcome.completed).toBe(false);
    expect(outcome.received).toBeLessThan(10 * 1024);
    // The host is fine afterwards.
    expect((await request(`${api}/stream?n=1&size=4`)).text).toBe('aaaa');
  });

  it('answers 204 when the function returns nothing', async () => {
    const res = await request(`${api}/nothing`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('survives a client that goes away mid-stream', async () => {
    await new Promise<void>((resolve) => {
      const req = http.get(`${api}/stream?n=50&size=1024&delayMs=20`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
    });
    expect((await request(`${api}/stream?n=2&size=2`)).text).toBe('aabb');
  });

  it('streams 512 MiB through the host without holding it, for a client that keeps up', async () => {
    const pid = child.pid!;
    const before = rssOf(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
    let received = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${api}/stream?n=8192&size=65536&paced=1`, (res) => {
            res.on('data', (chunk: Buffer) => (received += chunk.length));
            res.on('end', resolve);
            res.on('error', reject);
          })
          .on('error', reject);
      });
    } finally {
      clearInterval(sampler);
    }
    expect(received).toBe(8192 * 65536);
    // Garbage awaiting collection moves RSS by tens of MiB; holding the body would take 512.
    expect(peak - before).toBeLessThan(128 * 1024 * 1024);
  });

  it('back-pressure reaches the source: a client that stops reading stops the function producing', async () => {
    const key = `k${Date.now()}`;
    let received = 0;
    let res: http.IncomingMessage | undefined;
    const done = new Promise<void>((resolve, reject) => {
      http
        .get(`${api}/stream?n=4096&size=65536&paced=1&key=${key}`, (r) => {
          res = r;
          let paused = false;
          r.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (!paused && received >= 65536 * 4) {
              paused = true;
              r.pause();
            }
          });
          r.on('end', resolve);
          r.on('error', reject);
        })
        .on('error', reject);
    });
    const produced = async () => (await request(`${api}/produced/${key}`)).json<{ produced: number }>().produced;
    await new Promise((r) => setTimeout(r, 1500));
    const soon = await produced();
    await new Promise((r) => setTimeout(r, 1500));
    const later = await produced();
    // Socket buffers along the way fill (how far depends on the machine's load), then the source
    // stalls: nothing more is produced while the client is paused, and most was never produced.
    expect(later - soon).toBeLessThanOrEqual(2);
    expect(later).toBeLessThan(1024);
    res!.resume();
    await done;
    expect(received).toBe(4096 * 65536);
    expect((await request(`${api}/produced/${key}`)).json<{ produced: number }>().produced).toBe(4096);
  });

  it('a client that goes away stops the function producing', async () => {
    const key = `gone${Date.now()}`;
    await new Promise<void>((resolve) => {
      const req = http.get(`${api}/stream?n=100000&size=65536&paced=1&key=${key}`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
    });
    await new Promise((r) => setTimeout(r, 500));
    const first = (await request(`${api}/produced/${key}`)).json<{ produced: number }>().produced;
    await new Promise((r) => setTimeout(r, 500));
    const later = (await request(`${api}/produced/${key}`)).json<{ produced: number }>().produced;
    expect(later).toBe(first);
    expect(later).toBeLessThan(1000);
  });
});
