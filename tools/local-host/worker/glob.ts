import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';

/**
 * Files under `root` matching a package.json `main` pattern, sorted. Supports what entry-point
 * patterns use: `*`, `?`, `**`, `[abc]` and `{a,b}`. (Node 20 has no fs.glob, and the worker's
 * globby is not a dependency of this project.)
 */
export function expandGlob(root: string, pattern: string): string[] {
  const segments = pattern.replace(/\\/g, '/').replace(/^\.\//, '').split('/').filter((s) => s !== '');
  const found = new Set<string>();
  walk(path.resolve(root), segments, 0, found);
  return [...found].sort();
}

function walk(dir: string, segments: string[], index: number, found: Set<string>): void {
  const segment = segments[index];
  if (segment === undefined) return;
  const last = index === segments.length - 1;

  if (segment === '**') {
    if (last) return; // "dir/**" names directories, not entry files
    walk(dir, segments, index + 1, found);
    for (const entry of list(dir)) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
        walk(path.join(dir, entry.name), segments, index, found);
      }
    }
    return;
  }

  if (!/[*?[{]/.test(segment)) {
    const next = path.join(dir, segment);
    if (last) {
      if (isFile(next)) found.add(next);
    } else {
      walk(next, segments, index + 1, found);
    }
    return;
  }

  const matcher = segmentRegExp(segment);
  for (const entry of list(dir)) {
    if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
    if (!matcher.test(entry.name)) continue;
    const next = path.join(dir, entry.name);
    if (last) {
      if (isFile(next)) found.add(next);
    } else if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(next))) {
      walk(next, segments, index + 1, found);
    }
  }
}

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        const body = segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else if (char === '{') {
      const end = segment.indexOf('}', i + 1);
      if (end < 0) source += '\\{';
      else {
        const options = segment.slice(i + 1, end).split(',').map((o) => segmentRegExp(o).source.slice(1, -1));
        source += `(?:${options.join('|')})`;
        i = end;
      }
    } else source += char.replace(/[.+^$()|\\\]}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
