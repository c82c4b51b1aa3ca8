import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startHost, type LocalHost } from '../../../tools/local-host/host';
import { collectingLogger, fixtureAppRoot, request } from './helpers';

/** The host serves a static site (the web console) outside the route prefix, and never a file outside its folder. */
describe('local host: a static site beside the API', () => {
  let dir: string;
  let host: LocalHost;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'daybreak-site-'));
    await mkdir(path.join(dir, 'site/assets'), { recursive: true });
    await writeFile(path.join(dir, 'site/index.html'), '<!doctype html><title>page</title>');
    await writeFile(path.join(dir, 'site/assets/app-1234.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'not for the web');
    host = await startHost({
      appRoot: fixtureAppRoot,
      port: 0,
      logger: collectingLogger().logger,
      triggers: { blob: false, queue: false, timer: false },
      siteRoot: path.join(dir, 'site'),
    });
  });

  afterAll(async () => {
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page at / and at its own paths, never cached, with a strict CSP', async () => {
    for (const p of ['/', '/police/events/abc']) {
      const res = await request(`${host.url}${p}`);
      expect([p, res.status, res.text]).toEqual([p, 200, '<!doctype html><title>page</title>']);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('serves hashed assets with their type, cached for good; a missing asset is a 404', async () => {
    const res = await request(`${host.url}/assets/app-1234.js`);
    expect([res.status, res.headers['content-type'], res.headers['cache-control']]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await request(`${host.url}/assets/gone.js`)).status).toBe(404);
  });

  it('leaves /api/ to the functions and writes to them alone', async () => {
    expect((await request(`${host.url}/api/items/7`)).json()).toMatchObject({ fn: 'items-get', id: '7' });
    // The route table reads its prefix case-insensitively and percent-decoded: so does the site.
    for (const p of ['/API/items/7', '/%61pi/items/7', '/Api/items/7/']) {
      const res = await request(`${host.url}${p}`);
      expect([p, res.status, res.json()]).toEqual([p, 200, expect.objectContaining({ fn: 'items-get', id: '7' })]);
    }
    // An empty segment: no function's path (as before there was a site), and not the site's either.
    for (const p of ['//api/items/7', '//API/items/7']) {
      const res = await request(`${host.url}${p}`);
      expect([p, res.status, res.text.includes('<title>page</title>')]).toEqual([p, 404, false]);
    }
    expect((await request(`${host.url}/api/no-such-route`)).text).not.toContain('<title>page</title>');
    expect((await request(`${host.url}/`, { method: 'POST', body: 'x' })).text).not.toContain('<title>page</title>');
  });

  it('answers only at its own names (127.0.0.1, localhost, [::1]), so a rebound DNS name reaches nothing', async () => {
    const { port } = new URL(host.url);
    for (const name of ['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST']) {
      expect([name, (await request(`${host.url}/api/items/7`, { headers: { host: `${name}:${port}` } })).status]).toEqual([name, 200]);
    }
    for (const name of [`evil.example:${port}`, `localhost:${Number(port) + 1}`, 'localhost', `127.0.0.1.evil.example:${port}`]) {
      for (const p of ['/', '/api/items/7']) {
        const res = await request(`${host.url}${p}`, { headers: { host: name } });
        expect([name, p, res.status]).toEqual([name, p, 421]);
      }
    }
  });

  it('never serves a file outside its folder', async () => {
    for (const p of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const res = await request(`${host.url}${p}`);
      expect([p, res.text.includes('not for the web')]).toEqual([p, false]);
    }
  });
});
