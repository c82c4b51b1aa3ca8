/**
 * `npm run -s token -- --org <id> --roles <Role,Role> [--sub <id>] [--stores s1,s2] [--mfa] [--ttl <seconds>]`
 * Prints one development JWT on stdout and nothing else, so `$(npm run -s token -- …)` works.
 * Bad usage: one line on stderr, exit 2. Anything else going wrong: one line, exit 1.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { roles as knownRoles, RoleSchema, type Role } from '../shared/domain/principal';
import { loadOrCreateDevIssuerKey, signDevToken } from './dev-issuer/dev-issuer';
import { findProjectRoot, loadLocalSettings } from './local/local-settings';

const USAGE = 'usage: npm run -s token -- [--org <id>] --roles <Role,Role> [--sub <id>] [--stores s1,s2] [--mfa] [--ttl <seconds>]';

class UsageError extends Error {}

interface TokenArgs {
  org?: string;
  roles: Role[];
  sub?: string;
  stores?: string[];
  mfa: boolean;
  ttlSeconds?: number;
}

function parseTokenArgs(argv: string[]): TokenArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        org: { type: 'string' },
        roles: { type: 'string' },
        sub: { type: 'string' },
        stores: { type: 'string' },
        mfa: { type: 'boolean', default: false },
        ttl: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }

  if (values.roles === undefined) throw new UsageError('--roles is required');
  const roleNames = list(values.roles);
  if (roleNames.length === 0) throw new UsageError('--roles needs at least one role');
  const unknown = roleNames.find((r) => !RoleSchema.safeParse(r).success);
  if (unknown !== undefined) throw new UsageError(`unknown role "${unknown}" (known: ${knownRoles.join(', ')})`);

  if (values.org !== undefined && !values.org.trim()) throw new UsageError('--org must not be empty');
  if (values.sub !== undefined && !values.sub.trim()) throw new UsageError('--sub must not be empty');
  const stores = values.stores === undefined ? undefined : list(values.stores);
  if (stores?.length === 0) throw new UsageError('--stores needs at least one store id');

  let ttlSeconds: number | undefined;
  if (values.ttl !== undefined) {
    ttlSeconds = /^\d+$/.test(values.ttl) ? Number(values.ttl) : NaN;
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new UsageError('--ttl must be a positive whole number of seconds');
  }

  return {
    org: values.org?.trim(),
    roles: [...new Set(roleNames)] as Role[],
    sub: values.sub?.trim(),
    stores,
    mfa: values.mfa ?? false,
    ttlSeconds,
  };
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (local.settings.json or the environment)`);
  return value;
}

async function main(): Promise<void> {
  let args: TokenArgs;
  try {
    args = parseTokenArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`token: ${err.message}. ${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const root = findProjectRoot();
  loadLocalSettings(root);
  const key = await loadOrCreateDevIssuerKey(path.resolve(root, setting('DEV_ISSUER_KEY_FILE')));
  const token = await signDevToken(key, {
    issuer: setting('AUTH_ISSUER'),
    audience: setting('AUTH_AUDIENCE'),
    orgClaim: setting('AUTH_ORG_CLAIM'),
    ...args,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`token: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
