import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function newestMtime(dir: string, skip: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    if (full === skip) return newest;
    const mtime = entry.isDirectory() ? newestMtime(full, skip) : statSync(full).mtimeMs;
    return Math.max(newest, mtime);
  }, 0);
}

/**
 * The template tests read infra/dist (compiled template and snapshots). Build it with
 * `npm run infra:build` unless it is newer than every input, so `npm test` works on a fresh
 * clone and CI, which runs infra:build just before, does not build twice.
 */
export default function globalSetup(): void {
  const dist = path.join(ROOT, 'infra/dist');
  const params = readdirSync(path.join(ROOT, 'test/infra/params')).filter((f) => f.endsWith('.bicepparam'));
  const outputs = ['main.json', ...params.map((f) => f.replace(/\.bicepparam$/, '.snapshot.json'))].map((f) =>
    path.join(dist, f),
  );
  const oldestOutput = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  const newestInput = Math.max(
    newestMtime(path.join(ROOT, 'infra'), dist),
    newestMtime(path.join(ROOT, 'test/infra/params'), ''),
    newestMtime(path.join(ROOT, 'tools/bicep'), ''),
  );
  if (oldestOutput > newestInput) return;
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'tools/bicep/infra-build.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
