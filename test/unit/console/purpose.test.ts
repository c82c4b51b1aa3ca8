import { CaseReferenceSchema } from '../../../shared/domain/police-purpose';
import { CASE_REFERENCE } from '../../../console/src/police/purpose-rules';

/** The console checks a case reference before sending it only to say so early: by the API's rule, never its own. */
describe('console: the case reference rule', () => {
  it.each(['AKL-2026/0412', 'a', 'x'.repeat(64), 'AKL 2026', '', 'x'.repeat(65), 'not valid!', 'ünï'])('agrees with the API on %j', (reference) => {
    expect(CASE_REFERENCE.test(reference)).toBe(CaseReferenceSchema.safeParse(reference).success);
  });
});
