/**
 * `npm run -s api:lint`: the OpenAPI document the built app serves, linted by Redocly CLI with its
 * recommended rules, every warning an error (CI). Problems the contract makes on purpose are in
 * .redocly.lint-ignore.yaml, each with its reason. Run after `npm run build` (npm test does it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadApp } = require(path.join(root, 'dist/tools/local-host/worker/load-app')) as typeof import('./local-host/worker/load-app');
loadApp(root, { logger: () => {} });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { openApiDocument } = require(path.join(root, 'dist/shared/http/openapi-registry')) as typeof import('../shared/http/openapi-registry');
const file = path.join(root, '.daybreak/openapi.json');
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));

const cli = path.join(root, 'node_modules/@redocly/cli/bin/cli.js');
let out: string;
try {
  out = execFileSync(process.execPath, [cli, 'lint', file, '--format=json', '--extends=recommended', '--lint-config=off'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
} catch (error) {
  out = (error as { stdout?: string }).stdout ?? '';
}
const report = JSON.parse(out.slice(out.indexOf('{'))) as { totals: { errors: number; warnings: number; ignored: number }; problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
const problems = report.problems.filter((p) => p.severity !== 'off' && !(p as { ignored?: boolean }).ignored);
for (const p of problems) console.error(`${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
console.log(`OpenAPI lint (Redocly recommended, warnings as errors): ${problems.length} problem(s), ${report.totals.ignored} ignored on purpose.`);
process.exit(problems.length ? 1 : 0);
