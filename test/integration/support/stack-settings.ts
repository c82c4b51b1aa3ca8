import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FUNCTIONS = path.resolve(__dirname, '../../../functions');

/** Every timer the app registers, read from its function files (so a new timer is never missed). */
export function timerNames(): string[] {
  return readdirSync(FUNCTIONS)
    .filter((f) => f.endsWith('.function.ts'))
    .flatMap((f) => [...readFileSync(path.join(FUNCTIONS, f), 'utf8').matchAll(/(?:app\.timer\(\s*|timerTrigger\(\{\s*name:\s*)'([^']+)'/g)].map((m) => m[1]!));
}

/**
 * App settings of a test stack: its timers off (`AzureWebJobs.<name>.Disabled`), as the runtime
 * honours them. A test stack's timers would otherwise run over every tenant at their hour (a CI
 * run crossing 03:15 UTC would sweep retention beside tests counting exactly); the tests that need
 * a timer's work run it themselves.
 */
export function testStackSettings(): Record<string, string> {
  // Every reply checked against the schema its route documents (shared/http/reply-check.ts).
  return { ...Object.fromEntries(timerNames().map((name) => [`AzureWebJobs.${name}.Disabled`, 'true'])), REPLY_SCHEMA_CHECK: 'true' };
}
