import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The documentation holds together from a clone: the README stays short enough to read in ten
 * minutes, and every relative link in it, in docs/ and in eval/README.md names a file that exists
 * (the contract and engineering notes live in docs/, not beside the repository).
 */
const root = path.resolve(__dirname, '../../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? markdownFiles(full) : name.endsWith('.md') ? [full] : [];
  });
}

function relativeLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((href) => !/^[a-z]+:/i.test(href) && !href.startsWith('#'));
}

describe('documentation', () => {
  it('keeps the README under 200 lines', () => {
    expect(readFileSync(path.join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(200);
  });

  const files = [path.join(root, 'README.md'), path.join(root, 'eval/README.md'), ...markdownFiles(path.join(root, 'docs'))];
  it.each(files.map((f) => [path.relative(root, f), f]))('%s links only to files that exist', (_name, file) => {
    const broken = relativeLinks(file).filter((href) => !existsSync(path.resolve(path.dirname(file), href.split('#')[0]!)));
    expect(broken).toEqual([]);
  });

  it('links from the README to every page of docs/', () => {
    const linked = new Set(relativeLinks(path.join(root, 'README.md')).map((h) => path.resolve(root, h.split('#')[0]!)));
    const pages = markdownFiles(path.join(root, 'docs')).filter((f) => !linked.has(f));
    expect(pages.map((f) => path.relative(root, f))).toEqual([]);
  });
});
