import { readChain } from '../../../shared/audit/audit-entry-repository';
import { call } from '../support/api';
import { pendingLink } from '../support/people';
import { eventBody, retailerWorld } from '../support/world';

/**
 * The lease on a profile (a merge, split or erasure at a time) against the emulator: requests of one
 * operation at once take it together, the first taking gives it back, and nothing of it stays behind.
 */
describe('profile leases', () => {
  it('accepts and rejects of one suggestion at once leave neither profile busy (third audit of December: erasure refused for five minutes)', async () => {
    for (let round = 0; round < 3; round += 1) {
      const w = await retailerWorld();
      const person = { ref: 'p1', role: 'offender', name: { given: 'Leaseton', family: `Racewood${round}` }, dateOfBirth: '1980-05-06', phone: '+64215550777' };
      for (let i = 0; i < 2; i += 1) expect((await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: [person], vehicles: [] }) })).status).toBe(201);
      const link = await pendingLink(w.investigator);
      const decisions = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: i % 2 ? 'reject' : 'accept' } })),
      );
      expect(decisions.filter((d) => d.status !== 200 && d.body.code !== 'ALREADY_DECIDED').map((d) => d.text)).toEqual([]);
      // One decision stood, and it is in the chain once, whichever requests answered 200 for it.
      const won = decisions.find((d) => d.status === 200)!.body.status === 'accepted' ? 'link.accept' : 'link.reject';
      const entries: string[] = [];
      for await (const e of readChain(w.org)) if (e.target?.id === link.id) entries.push(e.action);
      expect({ round, entries }).toEqual({ round, entries: [won] });
      // Erased at once, never PROFILE_BUSY: the candidate always; the subject unless the accept merged it away (404).
      const erase = async (profileId: string) => (await call('DELETE', `/api/v1/profiles/${profileId}`, { token: w.admin })).status;
      expect({ round, won, subject: await erase(link.subject.profileId), candidate: await erase(link.candidate.profileId) }).toEqual({ round, won, subject: won === 'link.accept' ? 404 : 200, candidate: 200 });
    }
  });
});
