import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The console as built (npm run build:console, which npm test runs before jest): what a browser downloads on first load, and
 * what the bundle must never hold. Read from dist/console as it stands: npm test builds it first; run
 * alone, this test checks whatever the last `npm run build:console` left there.
 */
const DIST = path.resolve(__dirname, '../../../dist/console');
const BUDGET_BYTES = 250_000;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));

describe('the built console', () => {
  beforeAll(() => {
    if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing: run \`npm run -s build:console\` first (npm test does).`);
  });

  it('loads at most 250 KB of JavaScript, gzip-compressed, on first load', () => {
    const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
    // Every script the page loads at once: module entries and the chunks Vite preloads for them.
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map((src) => {
      const body = readFileSync(path.join(DIST, src));
      return { src, raw: body.length, gzip: gzipSync(body).length };
    });
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(`console first-load JavaScript: ${total} bytes gzip (${sizes.map((s) => `${s.src} ${s.raw} raw, ${s.gzip} gzip`).join('; ')})`);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('holds no development sign-in (that page is the local host’s, never part of an Azure build)', () => {
    const built = files(DIST);
    expect(built.some((f) => f.endsWith('.js'))).toBe(true);
    for (const file of built) {
      const text = readFileSync(file, 'utf8');
      for (const marker of ['/dev/sign-in', '/dev/token', 'Development sign-in', 'dev-issuer']) {
        expect({ file: path.relative(DIST, file), has: text.includes(marker) }).toEqual({ file: path.relative(DIST, file), has: false });
      }
    }
  });
});
