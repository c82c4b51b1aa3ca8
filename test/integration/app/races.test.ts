import { readChain } from '../../../shared/audit/audit-entry-repository';
import { call } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

/**
 * Requests that race each other (a black-box audit fired ten at once): one change, one entry.
 * PRODUCT §10b: "no audit entry describes a write that did not happen".
 */
async function entries(org: string, action: string, id: string): Promise<string[]> {
  const found: string[] = [];
  for await (const e of readChain(org)) if (e.action === action && e.target.id === id) found.push(e.outcome);
  return found;
}

describe('racing requests', () => {
  it('ten deletes of one event at once: one purges it (204), the others find it gone (404); one entry', async () => {
    const w = await retailerWorld();
    for (let round = 0; round < 3; round += 1) {
      const made = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody() });
      const statuses = await Promise.all(Array.from({ length: 10 }, () => call('DELETE', `/api/v1/events/${made.body.id}`, { token: w.admin }).then((r) => r.status)));
      expect(statuses.filter((s) => s === 204)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 204 && s !== 404)).toEqual([]);
      expect(await entries(w.org, 'event.delete', made.body.id)).toEqual(['success']);
    }
  }, 60_000);

  it('ten erasures of one person at once: the person is erased once, with one entry', async () => {
    const w = await retailerWorld();
    for (let round = 0; round < 6; round += 1) {
      const made = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody() });
      const profileId = made.body.people[0].profileId as string;
      const statuses = await Promise.all(Array.from({ length: 10 }, () => call('DELETE', `/api/v1/profiles/${profileId}`, { token: w.admin }).then((r) => r.status)));
      expect(statuses.filter((s) => s !== 200 && s !== 404)).toEqual([]);
      expect(await entries(w.org, 'profile.erase', profileId)).toEqual(['success']);
      expect((await call('GET', `/api/v1/profiles/${profileId}`, { token: w.investigator })).status).toBe(404);
    }
  }, 60_000);
});
