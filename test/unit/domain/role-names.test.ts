import { roles } from '../../../shared/domain/principal';
import { appCode } from '../support/app-sources';

/**
 * Every permission decision reads the one authorization table: outside it and the principal
 * schema, no code names a role (comments may). A rule that needs a finer distinction adds a
 * capability to shared/domain/authorization.ts and asks `may(principal, capability)`.
 */
const ALLOWED = new Set(['shared/domain/authorization.ts', 'shared/domain/principal.ts']);

it('names roles only in the authorization table and the principal schema', () => {
  const pattern = new RegExp(`\\b(${roles.join('|')})\\b`);
  const offenders = appCode()
    .filter(({ file }) => !ALLOWED.has(file))
    .flatMap(({ file, code }) =>
      code
        .split('\n')
        .filter((line) => pattern.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
  expect(offenders).toEqual([]);
});
