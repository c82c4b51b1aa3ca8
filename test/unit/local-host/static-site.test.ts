import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { serveStatic, type StaticSite } from '../../../tools/local-host/http/static-site';

/**
 * serveStatic given the path as it stands, with no URL parser in front to normalise it first: what a
 * request could carry past the parser (encoded separators, NUL) and what the folder itself holds
 * (a symlink out of it) must never serve a file outside the folder.
 */
describe('static site: no file outside its folder', () => {
  let dir: string;
  let site: StaticSite;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'daybreak-static-'));
    const at = (relative: string) => path.join(dir, relative);
    await mkdir(at('site/assets'), { recursive: true });
    for (const [file, text] of [['site/index.html', 'page'], ['site/assets/app.js', 'app'], ['secret.txt', 'secret']] as const) await writeFile(at(file), text);
    // Out of the folder (a file, and the folder's parent), and one that stays inside.
    for (const [target, link] of [['secret.txt', 'site/assets/linked.txt'], ['.', 'site/up'], ['site/assets/app.js', 'site/inside.js']] as const) await symlink(at(target), at(link));
    site = { root: path.join(dir, 'site'), isApiPath: (p) => p.toLowerCase().startsWith('/api/') };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function serve(pathname: string): Promise<string | undefined> {
    let body: string | undefined;
    const res = { writeHead: () => res, end: (chunk?: Buffer) => void (body = chunk?.toString('utf8')) } as unknown as ServerResponse;
    return (await serveStatic(site, 'GET', pathname, res, 'req-1')) ? body : undefined;
  }

  it('serves its own files, a symlink that stays inside, and the page for its own paths', async () => {
    expect(await serve('/assets/app.js')).toBe('app');
    expect(await serve('/inside.js')).toBe('app');
    expect(await serve('/police/events/abc')).toBe('page');
    expect(await serve('/police/events/%E0%A4')).toBe('page');
    expect(await serve('/assets/%E0%A4.js')).toBeUndefined();
  });

  it.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '..%5c..%5csecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/%2e%2e/%2e%2e/secret.txt',
    `/${'../'.repeat(8)}etc/passwd`,
    '/%E0%A4',
  ])('serves no file outside for %s (at most the page)', async (pathname) => {
    expect([undefined, 'page']).toContain(await serve(pathname));
  });

  it('serves nothing for a NUL, a backslash, or a symlink out of the folder', async () => {
    for (const pathname of ['/%00', '/assets/app.js%00', '/assets%5capp.js', '/assets/linked.txt', '/up/secret.txt']) {
      expect([pathname, await serve(pathname)]).toEqual([pathname, undefined]);
    }
  });

  it('reads an absolute path as one under its folder', async () => {
    expect(await serve(path.join(dir, 'secret.txt'))).toBeUndefined();
    expect(await serve(path.join(dir, 'site/assets/app.js'))).toBeUndefined();
  });

  it('leaves the API its paths, and a path with an empty segment to the route table', async () => {
    expect(await serve('/api/items/7')).toBeUndefined();
    expect(await serve('//api/items/7')).toBeUndefined();
  });
});

describe('static site: where its pages may connect', () => {
  async function csp(site: StaticSite): Promise<string> {
    let headers: Record<string, string> = {};
    const res = { writeHead: (_: number, h: Record<string, string>) => ((headers = h), res), end: () => undefined } as unknown as ServerResponse;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'daybreak-static-'));
    try {
      await writeFile(path.join(dir, 'index.html'), 'page');
      expect(await serveStatic({ ...site, root: dir }, 'GET', '/report', res, 'req-1')).toBe(true);
      return headers['content-security-policy']!;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const isApiPath = (p: string) => p.startsWith('/api/');

  it('to its own origin only, unless told of the blob endpoint its uploads go to', async () => {
    expect(await csp({ root: '', isApiPath })).toContain("connect-src 'self';");
    expect(await csp({ root: '', isApiPath, connectSources: ['http://127.0.0.1:10000'] })).toContain("connect-src 'self' http://127.0.0.1:10000;");
  });
});
