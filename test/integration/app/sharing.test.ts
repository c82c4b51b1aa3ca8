import { PURPOSE, call, createOrg, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

describe('agreements between retailers', () => {
  it('propose, accept by the partner, list on both sides, revoke by either', async () => {
    const [a, b, c] = [await createOrg('retailer'), await createOrg('retailer'), await createOrg('retailer')];
    const adminA = await tokenFor({ org: a, roles: ['RetailerAdmin'] });
    const adminB = await tokenFor({ org: b, roles: ['RetailerAdmin'] });
    const adminC = await tokenFor({ org: c, roles: ['RetailerAdmin'] });
    const proposed = await call('POST', '/api/v1/agreements', { token: adminA, body: { partnerRetailerId: b } });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ status: 'proposed', proposedBy: a, partnerRetailerId: b });
    const id = proposed.body.id;
    // Location names a route that answers, for both sides and no one else.
    for (const token of [adminA, adminB]) expect((await call('GET', proposed.headers.get('location')!, { token })).body).toMatchObject({ id, status: 'proposed' });
    expect((await call('GET', proposed.headers.get('location')!, { token: adminC })).status).toBe(404);
    expect((await call('POST', '/api/v1/agreements', { token: adminB, body: { partnerRetailerId: a } })).body.code).toBe('AGREEMENT_EXISTS');
    expect((await call('POST', `/api/v1/agreements/${id}/accept`, { token: adminA })).status).toBe(409);
    expect((await call('POST', `/api/v1/agreements/${id}/accept`, { token: await tokenFor({ org: b, roles: ['Investigator'] }) })).status).toBe(403);
    expect((await call('POST', `/api/v1/agreements/${id}/accept`, { token: adminC })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/agreements/${id}`, { token: adminC })).status).toBe(404);
    const accepted = await call('POST', `/api/v1/agreements/${id}/accept`, { token: adminB });
    expect(accepted.body.status).toBe('active');
    // No store field leaves the service (PRODUCT §10).
    for (const res of [proposed, accepted, await call('GET', '/api/v1/agreements', { token: adminA })]) expect(res.text).not.toMatch(/"_(rid|self|ts|etag|attachments)"/);
    for (const token of [adminA, adminB]) {
      const list = await call('GET', '/api/v1/agreements', { token });
      expect(list.body.items).toEqual([expect.objectContaining({ id, status: 'active' })]);
    }
    expect((await call('GET', '/api/v1/agreements', { token: adminC })).body.items).toEqual([]);
    const revoked = await call('DELETE', `/api/v1/agreements/${id}`, { token: adminB });
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: b });
    // Revoked, it can be proposed again.
    expect((await call('POST', '/api/v1/agreements', { token: adminB, body: { partnerRetailerId: a } })).status).toBe(201);
  });

  it('the partner must be another retailer', async () => {
    const a = await createOrg('retailer');
    const agency = await createOrg('agency');
    const admin = await tokenFor({ org: a, roles: ['RetailerAdmin'] });
    for (const partnerRetailerId of [a, agency, 'no-such-retailer']) {
      const res = await call('POST', '/api/v1/agreements', { token: admin, body: { partnerRetailerId } });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('partnerRetailerId');
    }
    expect((await call('POST', '/api/v1/agreements', { token: await tokenFor({ org: a, roles: ['Investigator'] }), body: { partnerRetailerId: agency } })).status).toBe(403);
  });
});

describe('messages on a shared event', () => {
  it('police and the retailer talk; other agencies and roles cannot; text is screened; all audited', async () => {
    const w = await retailerWorld();
    const aklPolice = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const otherAkl = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const wgnPolice = await createOrg('agency', { jurisdictions: ['NZ-WGN'] });
    const officer = await tokenFor({ org: aklPolice, roles: ['PoliceOfficer'], sub: 'officer-1' });
    const otherOfficer = await tokenFor({ org: otherAkl, roles: ['PoliceOfficer'], sub: 'officer-2' });
    const event = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() })).body;
    const url = `/api/v1/events/${event.id}/messages`;

    const posted = await call('POST', url, { token: officer, headers: PURPOSE, body: { body: 'Do you have CCTV from the car park?' } });
    expect(posted.status).toBe(201);
    expect(posted.body.author).toEqual({ sub: 'officer-1', org: aklPolice, relation: 'police' });
    expect((await call('POST', url, { token: w.investigator, body: { body: 'Yes, uploading now.' } })).status).toBe(201);
    expect((await call('POST', url, { token: otherOfficer, headers: PURPOSE, body: { body: 'We saw him too.' } })).status).toBe(201);

    const forRetailer = await call('GET', url, { token: w.investigator });
    expect(forRetailer.body.items.map((m: { body: string }) => m.body)).toEqual([
      'Do you have CCTV from the car park?',
      'Yes, uploading now.',
      'We saw him too.',
    ]);
    const forOfficer = await call('GET', url, { token: officer, headers: PURPOSE });
    expect(forOfficer.body.items.map((m: { author: { org: string } }) => m.author.org)).toEqual([aklPolice, w.org]);

    expect((await call('GET', url, { token: await tokenFor({ org: wgnPolice, roles: ['PoliceOfficer'] }), headers: PURPOSE })).status).toBe(404);
    expect((await call('GET', url, { token: (await retailerWorld()).investigator })).status).toBe(404);
    expect((await call('POST', url, { token: w.reporter, body: { body: 'hi' } })).status).toBe(403);
    const screened = await call('POST', url, { token: officer, headers: PURPOSE, body: { body: 'Suspect is a Sikh man' } });
    expect(screened.status).toBe(422);
    expect(screened.body.code).toBe('SENSITIVE_TEXT');
    expect((await call('POST', url, { token: officer, headers: PURPOSE, body: { body: '', extra: 1 } })).status).toBe(400);

    const { readChain } = await import('../../../shared/audit/audit-entry-repository');
    const actions: string[] = [];
    const stated: unknown[] = [];
    for await (const e of readChain(w.org)) {
      if (e.target.id === event.id) actions.push(`${e.action}:${e.actor.org}`);
      if (e.actor.org === aklPolice && e.action.startsWith('event.message')) stated.push(e.details);
    }
    expect(actions).toEqual(expect.arrayContaining([`event.message.post:${aklPolice}`, `event.message.read:${aklPolice}`, `event.message.post:${w.org}`]));
    // Each police message read and post carries the purpose the officer stated (PRODUCT §5b).
    expect(stated.length).toBeGreaterThanOrEqual(2);
    for (const details of stated) expect(details).toMatchObject({ legalBasis: PURPOSE['x-legal-basis'], caseReference: PURPOSE['x-case-reference'] });
  });
});

describe('profiles across an agreement, and sensitive events', () => {
  it("a partner's investigator reads a profile without its sensitive events (one known only from those is 404); a Reporter's lookup counts none of them", async () => {
    const w = await retailerWorld();
    const partner = await retailerWorld();
    const proposed = await call('POST', '/api/v1/agreements', { token: w.admin, body: { partnerRetailerId: partner.org } });
    await call('POST', `/api/v1/agreements/${proposed.body.id}/accept`, { token: partner.admin });
    const family = `Ventrisk${Date.now().toString(36)}`;
    const person = { ref: 'p1', role: 'offender', name: { given: 'Orla', family } };
    const open = (await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: [person] }) })).body;
    const profileId = open.people[0].profileId as string;
    const hidden = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ sensitive: true, people: [{ ref: 'p1', role: 'offender', profileId }] }) });
    expect(hidden.status).toBe(201);
    const onlySensitive = (await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ sensitive: true, people: [{ ...person, name: { given: 'Ines', family } }] }) })).body;

    const partnerInvestigator = await tokenFor({ org: partner.org, roles: ['Investigator'] });
    const seen = await call('GET', `/api/v1/profiles/${profileId}`, { token: partnerInvestigator });
    expect(seen.status).toBe(200);
    expect(seen.body.eventIds).toEqual([open.id]);
    expect((await call('GET', `/api/v1/profiles/${profileId}`, { token: w.investigator })).body.eventIds.sort()).toEqual([open.id, hidden.body.id].sort());
    expect((await call('GET', `/api/v1/profiles/${onlySensitive.people[0].profileId}`, { token: partnerInvestigator })).status).toBe(404);

    // The matcher indexes people of sensitive events for harm only; wait until it has seen the first.
    const { matched } = await import('../support/retention');
    await matched(w.org, [profileId]);
    const lookup = await call('POST', '/api/v1/profiles/search', { token: w.reporter, body: { name: `Orla ${family}` } });
    expect(lookup.body.items.map((h: { profileId: string; events: number }) => [h.profileId, h.events])).toEqual([[profileId, 1]]);
    const asInvestigator = await call('POST', '/api/v1/profiles/search', { token: w.investigator, body: { name: `Orla ${family}` } });
    expect(asInvestigator.body.items.find((h: { profileId: string }) => h.profileId === profileId).events).toBe(2);
  });
});

describe('evidence of a shared event', () => {
  it('police download it with MFA; partners see metadata but never the bytes; others get 404', async () => {
    const { files, submit } = await import('../support/evidence');
    const w = await retailerWorld();
    const partner = await retailerWorld();
    const proposed = await call('POST', '/api/v1/agreements', { token: w.admin, body: { partnerRetailerId: partner.org } });
    await call('POST', `/api/v1/agreements/${proposed.body.id}/accept`, { token: partner.admin });
    const akl = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const wgn = await createOrg('agency', { jurisdictions: ['NZ-WGN'] });
    const event = (await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody() })).body;
    const { evidence } = await submit(w.reporter, event.id, await files.jpeg(), { contentType: 'image/jpeg' });
    const item = `/api/v1/evidence/${evidence.id ?? evidence.evidenceId}`;

    const officer = await tokenFor({ org: akl, roles: ['PoliceOfficer'], mfa: true });
    expect((await call('GET', item, { token: officer, headers: PURPOSE })).status).toBe(200);
    const download = await fetch(`${process.env.DAYBREAK_BASE_URL}${item}/content`, { headers: { authorization: `Bearer ${officer}`, ...PURPOSE }, redirect: 'manual' });
    expect(download.status).toBe(302);
    const noMfa = await call('GET', `${item}/content`, { token: await tokenFor({ org: akl, roles: ['PoliceOfficer'] }), headers: PURPOSE });
    expect(noMfa.body.code).toBe('MFA_REQUIRED');
    expect((await call('GET', `${item}/content`, { token: await tokenFor({ org: wgn, roles: ['PoliceOfficer'], mfa: true }), headers: PURPOSE })).status).toBe(404);
    // Custody too (PRODUCT §5b: "content and custody"), with the purpose stated; not for an agency it is not shared with.
    const custody = await call('GET', `${item}/custody?verify=true`, { token: officer, headers: PURPOSE });
    expect(custody.status).toBe(200);
    expect(custody.body).toMatchObject({ status: 'ready', verified: true });
    expect((await call('GET', `${item}/custody`, { token: officer })).body.code).toBe('PURPOSE_REQUIRED');
    expect((await call('GET', `${item}/custody`, { token: await tokenFor({ org: wgn, roles: ['PoliceOfficer'] }), headers: PURPOSE })).status).toBe(404);

    const partnerInvestigator = await tokenFor({ org: partner.org, roles: ['Investigator'], mfa: true });
    expect((await call('GET', item, { token: partnerInvestigator })).status).toBe(200);
    expect((await call('GET', `${item}/content`, { token: partnerInvestigator })).status).toBe(403);
    expect((await call('GET', `${item}/custody`, { token: partnerInvestigator })).status).toBe(403);
    expect((await call('GET', item, { token: (await retailerWorld()).investigator })).status).toBe(404);

    const { readChain } = await import('../../../shared/audit/audit-entry-repository');
    const seen: string[] = [];
    for await (const e of readChain(w.org)) if (e.action.startsWith('evidence.')) seen.push(`${e.action}:${e.outcome}:${e.actor.org}`);
    expect(seen).toEqual(
      expect.arrayContaining([`evidence.download:success:${akl}`, `evidence.read:success:${partner.org}`, `evidence.download:denied:${partner.org}`, `evidence.custody:denied:${partner.org}`]),
    );
    // The officer's metadata read and download carry the purpose stated (PRODUCT §5b); the partner's carry none.
    const purposes: [string, unknown, unknown][] = [];
    for await (const e of readChain(w.org)) if (e.action.startsWith('evidence.') && e.outcome === 'success' && e.actor.org !== w.org) purposes.push([`${e.action}:${e.actor.org}`, e.details.legalBasis, e.details.caseReference]);
    const basis = PURPOSE['x-legal-basis'];
    const ref = PURPOSE['x-case-reference'];
    expect(purposes).toEqual(
      expect.arrayContaining([[`evidence.read:${akl}`, basis, ref], [`evidence.download:${akl}`, basis, ref], [`evidence.custody:${akl}`, basis, ref], [`evidence.read:${partner.org}`, undefined, undefined]]),
    );
  });
});
