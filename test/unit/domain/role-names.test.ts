import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { roles } from '../../../shared/domain/principal';

/**
 * Every permission decision reads the one authorization table: outside it and the principal
 * schema, no code names a role (comments may). A rule that needs a finer distinction adds a
 * capability to shared/domain/authorization.ts and asks `may(principal, capability)`.
 */
const root = path.resolve(__dirname, '../../..');
const ALLOWED = new Set(['shared/domain/authorization.ts', 'shared/domain/principal.ts']);

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

it('names roles only in the authorization table and the principal schema', () => {
  const pattern = new RegExp(`\\b(${roles.join('|')})\\b`);
  const offenders = [...sources(path.join(root, 'shared')), ...sources(path.join(root, 'functions'))]
    .map((f) => path.relative(root, f))
    .filter((f) => !ALLOWED.has(f))
    .flatMap((f) =>
      code(readFileSync(path.join(root, f), 'utf8'))
        .split('\n')
        .filter((line) => pattern.test(line))
        .map((line) => `${f}: ${line.trim()}`),
    );
  expect(offenders).toEqual([]);
});
