import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Loads `local.settings.json` (or, on a fresh clone, `local.settings.sample.json`) into
 * process.env the way Core Tools does: values already in the environment win, so tests
 * and CI can override any setting.
 */
export function loadLocalSettings(root = findProjectRoot()): string {
  const own = path.join(root, 'local.settings.json');
  const file = existsSync(own) ? own : path.join(root, 'local.settings.sample.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, string> };
  for (const [key, value] of Object.entries(parsed.Values ?? {})) {
    if (process.env[key] === undefined) process.env[key] = String(value);
  }
  return file;
}

/** The folder holding package.json, whether running from source or from dist/. */
export function findProjectRoot(start = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'host.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the project root (package.json beside host.json).');
    dir = parent;
  }
}
