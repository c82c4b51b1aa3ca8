import { offeredPurpose, purposeFromHeaders } from '../../../shared/http/purpose-headers';

const from = (values: Record<string, string>) => (name: string) => values[name] ?? null;

describe('the purpose a police officer states in two headers (PRODUCT §5b)', () => {
  it('reads both, around the spaces HTTP allows', () => {
    expect(purposeFromHeaders(from({ 'x-legal-basis': ' warrant ', 'x-case-reference': 'OP-7/2026 ' }))).toEqual({ legalBasis: 'warrant', caseReference: 'OP-7/2026' });
  });

  it('answers 400 PURPOSE_REQUIRED naming each header missing or malformed', () => {
    const refused = (values: Record<string, string>) => {
      try {
        purposeFromHeaders(from(values));
      } catch (error) {
        return error as { kind: string; code: string; errors: { path: string }[] };
      }
      throw new Error('accepted');
    };
    expect(refused({})).toMatchObject({ kind: 'bad-request', code: 'PURPOSE_REQUIRED', errors: [{ path: 'x-legal-basis' }, { path: 'x-case-reference' }] });
    expect(refused({ 'x-legal-basis': 'curiosity', 'x-case-reference': 'C-1' }).errors).toEqual([expect.objectContaining({ path: 'x-legal-basis' })]);
    expect(refused({ 'x-legal-basis': 'investigation', 'x-case-reference': 'has spaces in it' }).errors).toEqual([expect.objectContaining({ path: 'x-case-reference' })]);
  });

  it('where it is optional, offers nothing when neither is sent, and refuses half a statement when read', () => {
    expect(offeredPurpose(from({}))).toBeUndefined();
    const half = offeredPurpose(from({ 'x-case-reference': 'C-1' }));
    expect(half).toBeDefined();
    expect(() => half!()).toThrow(expect.objectContaining({ code: 'PURPOSE_REQUIRED' }));
  });
});
