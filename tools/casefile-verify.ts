/**
 * `npm run -s casefile:verify -- <file.zip> [--jwks <url|file>]`
 *
 * Verifies a case file offline (PRODUCT §4c): the detached JWS over manifest.json against the
 * public keys, then every file's SHA-256 and size against the manifest, nothing missing and
 * nothing added. Prints `ok …` and exits 0, or `broken: <first mismatch>` and exits 1. Bad usage,
 * or keys that cannot be read: one line on stderr, exit 2. Without --jwks, the keys of the local
 * development host (DAYBREAK_BASE_URL, else http://127.0.0.1:7071).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { verifyCaseFile } from './case-file/verify-package';

const USAGE = 'usage: npm run -s casefile:verify -- <file.zip> [--jwks <url|file>]';

async function loadJwks(source: string): Promise<JSONWebKeySet> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${source} answered ${response.status}`);
    return (await response.json()) as JSONWebKeySet;
  }
  return JSON.parse(readFileSync(source, 'utf8')) as JSONWebKeySet;
}

async function main(): Promise<number> {
  let file: string | undefined;
  let jwksSource: string;
  try {
    const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { jwks: { type: 'string' } }, allowPositionals: true });
    file = positionals[0];
    if (!file || positionals.length > 1) throw new Error(USAGE);
    if (!existsSync(file)) throw new Error(`no such file: ${file}`);
    jwksSource = values.jwks ?? `${process.env.DAYBREAK_BASE_URL ?? 'http://127.0.0.1:7071'}/api/v1/.well-known/signing-keys`;
  } catch (error) {
    console.error((error as Error).message.startsWith('usage') ? USAGE : `${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let jwks: JSONWebKeySet;
  try {
    jwks = await loadJwks(jwksSource);
    if (!Array.isArray(jwks?.keys)) throw new Error('not a JWKS (no "keys")');
  } catch (error) {
    console.error(`cannot read the public keys from ${jwksSource}: ${(error as Error).message}`);
    return 2;
  }
  const verdict = await verifyCaseFile(file, jwks);
  if (!verdict.ok) {
    console.log(`broken: ${verdict.problem}`);
    return 1;
  }
  const m = verdict.manifest;
  console.log(`ok: ${verdict.files} files match manifest.json, signed by ${verdict.kid}; case file ${m.caseFileId} built ${m.builtAt} by ${m.builtBy.sub} (${m.builtBy.orgId})`);
  return 0;
}

main().then((code) => process.exit(code));
