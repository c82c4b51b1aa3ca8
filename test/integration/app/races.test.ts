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

  it('a split racing the merge of its survivor into someone else: one goes ahead, the other is refused (409), and every report stays on exactly one profile', async () => {
    for (let round = 0; round < 3; round += 1) {
      const w = await retailerWorld();
      const who = [{ ref: 'p1', role: 'offender', name: { given: 'Hemi', family: `Tawhiao-Grant${round}` }, dateOfBirth: '1980-05-05' }];
      const made: string[] = [];
      for (let i = 0; i < 3; i += 1) made.push((await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: who, vehicles: [] }) })).body.id);
      const pending = await linksAtLeast(w.investigator, 3);
      const first = pending[0]!;
      expect((await decide(w.investigator, first.id, 'accept')).status).toBe(200);
      const survivor = first.candidate.profileId as string;
      // Another suggestion that folds the survivor away (or folds someone into it).
      const others = (await linksAtLeast(w.investigator, 1)).filter((l) => l.id !== first.id);
      const second = others.find((l) => l.subject.profileId === survivor) ?? others.find((l) => l.candidate.profileId === survivor);
      expect(second).toBeDefined();
      if (!second) continue;
      const [split, accept] = await Promise.all([
        call('POST', `/api/v1/profiles/${survivor}/split`, { token: w.investigator, body: { linkId: first.id, reason: 'two people' } }),
        decide(w.investigator, second.id, 'accept'),
      ]);
      expect([split.status, accept.status].filter((s) => s >= 500)).toEqual([]);
      expect([split.status, accept.status]).toContain(200);
      // Every report's person is on a profile that exists and lists the report, and on no other.
      const owners = new Map<string, string[]>();
      for (const id of made) {
        const event = await call('GET', `/api/v1/events/${id}`, { token: w.investigator });
        const profileId = event.body.people[0].profileId as string;
        const profile = await call('GET', `/api/v1/profiles/${profileId}`, { token: w.investigator });
        expect({ id, status: profile.status, lists: profile.body.eventIds?.includes(id) }).toEqual({ id, status: 200, lists: true });
        for (const e of profile.body.eventIds as string[]) owners.set(e, [...new Set([...(owners.get(e) ?? []), profileId])]);
      }
      for (const id of made) expect({ id, owners: owners.get(id)?.length }).toEqual({ id, owners: 1 });
    }
  }, 120_000);
});

async function linksAtLeast(token: string, atLeast: number, timeoutMs = 15_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', '/api/v1/links?status=pending&pageSize=100', { token });
    if (res.body.items.length >= atLeast || Date.now() > deadline) return res.body.items;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const decide = (token: string, id: string, decision: 'accept' | 'reject') => call('POST', `/api/v1/links/${id}/decision`, { token, body: { decision } });
