import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository's root, for the tests that read the app's own sources. */
export const root = path.resolve(__dirname, '../../..');

/** Every .ts file below `dir` (absolute), recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** The code without its comments (line and block), keeping strings. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The app's own code (shared/ and functions/), comments removed: each file's path from the root and its code. */
export function appCode(): { file: string; code: string }[] {
  return [...sources(path.join(root, 'shared')), ...sources(path.join(root, 'functions'))].map((full) => ({
    file: path.relative(root, full),
    code: code(readFileSync(full, 'utf8')),
  }));
}
