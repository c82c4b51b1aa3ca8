import { PURPOSE, call, createOrg, tokenFor } from '../support/api';
import { readChain } from '../../../shared/audit/audit-entry-repository';

/**
 * PRODUCT §8: "Denied attempts are recorded too", in the chain of the retailer whose data was
 * tried, so that it sees who tried; and §1: a scope, an org type or a query is never read more
 * widely than it was given. Found by a black-box audit: these refusals answered rightly and left
 * no entry anywhere.
 */
describe('refused attempts on events are in the chain of the retailer holding them', () => {
  let owner = '';
  let other = '';
  let agency = '';
  let event = '';
  let held = '';
  const ownerToken = (roles: Parameters<typeof tokenFor>[0]['roles'], extra: Partial<Parameters<typeof tokenFor>[0]> = {}) => tokenFor({ org: owner, roles, mfa: true, ...extra });

  const entries = async (org: string) => {
    const seen: { action: string; outcome: string; org: string | null; target: string; code?: unknown }[] = [];
    for await (const e of readChain(org)) seen.push({ action: e.action, outcome: e.outcome, org: e.actor.org, target: e.target.id, code: e.details?.code });
    return seen;
  };
  const report = (token: string, storeId = 'akl') =>
    call('POST', '/api/v1/events', { token, body: { storeId, occurredAt: new Date(Date.now() - 60_000).toISOString(), type: 'shoplifting', prevented: false } });

  beforeAll(async () => {
    owner = await createOrg('retailer');
    other = await createOrg('retailer');
    agency = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const admin = await ownerToken(['RetailerAdmin']);
    for (const s of ['akl', 'wgn']) await call('PUT', `/api/v1/stores/${s}`, { token: admin, body: { name: s, jurisdiction: s === 'akl' ? 'NZ-AKL' : 'NZ-WGN' } });
    const reporter = await ownerToken(['Investigator']);
    event = (await report(reporter)).body.id;
    held = (await report(reporter)).body.id;
    const hold = await call('PUT', `/api/v1/events/${held}/legal-hold`, { token: reporter, body: { reason: 'Court order 2026/17' } });
    expect(hold.status).toBe(200);
  });

  it("another retailer's reads, corrections, deletes and holds of an event answer 404 and are denied entries in the owner's chain", async () => {
    const reporter = await tokenFor({ org: other, roles: ['Reporter'] });
    const investigator = await tokenFor({ org: other, roles: ['Investigator'] });
    const admin = await tokenFor({ org: other, roles: ['RetailerAdmin'], mfa: true });
    const tries = [
      await call('GET', `/api/v1/events/${event}`, { token: reporter }),
      await call('PATCH', `/api/v1/events/${event}`, { token: investigator, body: { prevented: true }, headers: { 'if-match': '*', 'content-type': 'application/merge-patch+json' } }),
      await call('PUT', `/api/v1/events/${event}/legal-hold`, { token: investigator, body: { reason: 'mine now' } }),
      await call('DELETE', `/api/v1/events/${event}`, { token: admin }),
    ];
    expect(tries.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    const seen = (await entries(owner)).filter((e) => e.org === other && e.target === event);
    expect(seen).toEqual(
      expect.arrayContaining(
        ['event.read', 'event.update', 'event.hold', 'event.delete'].map((action) => ({ action, outcome: 'denied', org: other, target: event, code: 'NOT_VISIBLE' })),
      ),
    );
  });

  it("a police officer's attempt to change or delete a retailer's event is in the owner's chain", async () => {
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], mfa: true });
    const patch = await call('PATCH', `/api/v1/events/${event}`, { token: officer, body: { prevented: true }, headers: { ...PURPOSE, 'if-match': '*', 'content-type': 'application/merge-patch+json' } });
    const del = await call('DELETE', `/api/v1/events/${event}`, { token: officer, headers: PURPOSE });
    expect([patch.status, del.status]).toEqual([404, 404]);
    const mine: Record<string, unknown>[] = [];
    for await (const e of readChain(owner)) if (e.actor.org === agency && e.target.id === event) mine.push({ action: e.action, outcome: e.outcome, ...e.details });
    expect(mine).toEqual(
      expect.arrayContaining(['event.update', 'event.delete'].map((action) => expect.objectContaining({ action, outcome: 'denied', code: 'NOT_VISIBLE' }))),
    );
  });

  it('reporting for a store outside one\'s scope (403) and deleting a held event (409) are denied entries too', async () => {
    const scoped = await ownerToken(['Reporter'], { sub: 'scoped-reporter', stores: ['akl'] });
    const outside = await report(scoped, 'wgn');
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('STORE_OUT_OF_SCOPE');
    const admin = await ownerToken(['RetailerAdmin']);
    const del = await call('DELETE', `/api/v1/events/${held}`, { token: admin });
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('LEGAL_HOLD');
    const seen = await entries(owner);
    expect(seen).toContainEqual(expect.objectContaining({ action: 'event.create', outcome: 'denied', org: owner, code: 'STORE_OUT_OF_SCOPE' }));
    expect(seen).toContainEqual({ action: 'event.delete', outcome: 'denied', org: owner, target: held, code: 'LEGAL_HOLD' });
    expect((await call('GET', `/api/v1/events/${held}`, { token: await ownerToken(['Investigator']) })).status).toBe(200);
  });

  it('a stores claim present and empty is a scope of no store, not of every store', async () => {
    const none = await ownerToken(['Reporter'], { sub: 'no-store-reporter', stores: [] });
    expect((await report(none, 'akl')).status).toBe(403);
    const list = await call('GET', '/api/v1/events', { token: none });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it("a retailer's role from an agency lists no events: refused (403), as the role is a retailer's", async () => {
    const misplaced = await tokenFor({ org: agency, roles: ['Investigator'] });
    const list = await call('GET', '/api/v1/events', { token: misplaced });
    expect(list.status).toBe(403);
  });

  it('a query parameter given twice is refused (400) rather than read as one of its values', async () => {
    const investigator = await ownerToken(['Investigator']);
    const twice = await call('GET', '/api/v1/events?type=robbery&type=shoplifting', { token: investigator });
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([expect.objectContaining({ path: 'type' })]);
    expect((await call('GET', '/api/v1/events?type=shoplifting', { token: investigator })).status).toBe(200);
  });
});

describe("refused attempts on another retailer's people and suggestions are in its chain", () => {
  it('reading, erasing or splitting its profile and deciding its suggestion answer 404, each a denied entry in the holder\'s chain', async () => {
    const owner = await createOrg('retailer');
    const other = await createOrg('retailer');
    const admin = await tokenFor({ org: owner, roles: ['RetailerAdmin'], mfa: true });
    await call('PUT', '/api/v1/stores/akl', { token: admin, body: { name: 'akl', jurisdiction: 'NZ-AKL' } });
    const investigator = await tokenFor({ org: owner, roles: ['Investigator'] });
    const who = [{ ref: 'p1', role: 'offender', name: { given: 'Rangi', family: 'Whitiora-Blake' }, dateOfBirth: '1986-03-14' }];
    const body = { storeId: 'akl', occurredAt: new Date(Date.now() - 60_000).toISOString(), type: 'shoplifting', prevented: false, people: who };
    const profileId = (await call('POST', '/api/v1/events', { token: investigator, body })).body.people[0].profileId as string;
    await call('POST', '/api/v1/events', { token: investigator, body });
    let linkId: string | undefined;
    for (let i = 0; i < 60 && !linkId; i += 1) {
      linkId = (await call('GET', '/api/v1/links?status=pending', { token: investigator })).body.items[0]?.id;
      if (!linkId) await new Promise((r) => setTimeout(r, 250));
    }
    expect(linkId).toBeDefined();

    const theirs = await tokenFor({ org: other, roles: ['Investigator', 'RetailerAdmin'], mfa: true });
    const tries = [
      await call('GET', `/api/v1/profiles/${profileId}`, { token: theirs }),
      await call('DELETE', `/api/v1/profiles/${profileId}`, { token: theirs }),
      await call('POST', `/api/v1/profiles/${profileId}/split`, { token: theirs, body: { linkId, reason: 'not the same' } }),
      await call('POST', `/api/v1/links/${linkId}/decision`, { token: theirs, body: { decision: 'accept' } }),
    ];
    expect(tries.map((r) => [r.status, r.body.code])).toEqual(Array(4).fill([404, 'NOT_FOUND']));
    const denied: string[] = [];
    for await (const e of readChain(owner)) if (e.outcome === 'denied' && e.actor.org === other) denied.push(`${e.action} ${e.target.id}`);
    expect(denied.sort()).toEqual([`link.decide ${linkId}`, `profile.erase ${profileId}`, `profile.read ${profileId}`, `profile.split ${profileId}`].sort());
    // Nothing of theirs changed.
    expect((await call('GET', `/api/v1/profiles/${profileId}`, { token: investigator })).status).toBe(200);
  }, 60_000);
});
