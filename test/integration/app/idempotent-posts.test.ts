import { PURPOSE, call, createOrg, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

/**
 * PRODUCT §10b: "A client that retries a POST with the same Idempotency-Key after any failure
 * gets, once the system is healthy again, the first successful response." Events, evidence and
 * case files had it; a black-box audit found messages stored twice and agreements answering a
 * retry with 409. The takeover of a failed attempt is tested in store-faults and the unit tests.
 */
/** A retailer with one store, its admin and an investigator, and an event the investigator reported. */
async function retailerWithEvent() {
  const org = await createOrg('retailer');
  const admin = await tokenFor({ org, roles: ['RetailerAdmin'], mfa: true });
  await call('PUT', '/api/v1/stores/akl', { token: admin, body: { name: 'akl', jurisdiction: 'NZ-AKL' } });
  const investigator = await tokenFor({ org, roles: ['Investigator'] });
  const event = await call('POST', '/api/v1/events', { token: investigator, body: { storeId: 'akl', occurredAt: new Date(Date.now() - 60_000).toISOString(), type: 'shoplifting', prevented: false } });
  return { org, admin, investigator, event };
}

describe('Idempotency-Key on messages, agreements and subscriptions', () => {
  it('a message posted again with the same key is the same message, stored once; another body with the key is a 409', async () => {
    const { investigator, event } = await retailerWithEvent();
    const post = (body: string, key?: string) =>
      call('POST', `/api/v1/events/${event.body.id}/messages`, { token: investigator, body: { body }, headers: key ? { 'idempotency-key': key } : {} });
    const first = await post('CCTV attached.', 'msg-key-1');
    const again = await post('CCTV attached.', 'msg-key-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    const conflict = await post('Something else.', 'msg-key-1');
    expect({ status: conflict.status, code: conflict.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_CONFLICT' });
    // Without a key, two posts are two messages, as asked.
    await post('Second note.');
    await post('Second note.');
    const thread = await call('GET', `/api/v1/events/${event.body.id}/messages`, { token: investigator });
    expect(thread.body.items.map((m: { body: string }) => m.body)).toEqual(['CCTV attached.', 'Second note.', 'Second note.']);
  });

  it('once the event is deleted, a message or evidence posted again with its key answers 410 RESOURCE_DELETED, with none of what was posted', async () => {
    const { org, admin, investigator, event } = await retailerWithEvent();
    const message = () => call('POST', `/api/v1/events/${event.body.id}/messages`, { token: investigator, body: { body: 'Rangi Tane-Deleted came back at 4pm.' }, headers: { 'idempotency-key': 'msg-deleted' } });
    const declared = { fileName: 'rangi-tane-deleted.jpg', contentType: 'image/jpeg', size: 1024, sha256: 'a'.repeat(64), kind: 'image' };
    const evidence = () => call('POST', `/api/v1/events/${event.body.id}/evidence`, { token: investigator, body: declared, headers: { 'idempotency-key': 'evidence-deleted' } });
    expect([(await message()).status, (await evidence()).status]).toEqual([201, 201]);
    expect((await call('DELETE', `/api/v1/events/${event.body.id}`, { token: admin })).status).toBe(204);
    for (const again of [await message(), await evidence()]) {
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 410, code: 'RESOURCE_DELETED' });
      expect(JSON.stringify(again.body)).not.toMatch(/Rangi|rangi|Tane-Deleted|tane-deleted/);
    }
    // Nothing of either is kept for a retry.
    const { docsOf } = await import('../support/retention');
    expect(JSON.stringify(await docsOf('idempotency', org))).not.toMatch(/Rangi|rangi-tane/);
  });

  it("a police officer's message posted again with its key after the event was deleted answers 410, though its record lies under the agency", async () => {
    const w = await retailerWorld();
    const agency = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-deleted' });
    const event = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() })).body;
    const post = () => call('POST', `/api/v1/events/${event.id}/messages`, { token: officer, headers: { ...PURPOSE, 'idempotency-key': 'police-msg' }, body: { body: 'Rangi Tane-Deleted is known to us.' } });
    const first = await post();
    expect(first.status).toBe(201);
    expect((await post()).body).toEqual(first.body);
    expect((await call('DELETE', `/api/v1/events/${event.id}`, { token: w.admin })).status).toBe(204);
    const again = await post();
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 410, code: 'RESOURCE_DELETED' });
    expect(JSON.stringify(again.body)).not.toMatch(/Rangi|Tane-Deleted/);
  });

  it('a subscription created again with the same key is the same one, its secret answered again, stored once; another body is a 409', async () => {
    const org = await createOrg('retailer');
    const investigator = await tokenFor({ org, roles: ['Investigator'] });
    const body = (name: string) => ({ name, filter: { types: ['robbery'] }, delivery: { mode: 'digest', url: 'http://127.0.0.1:9/hook' } });
    const post = (name: string, key: string) => call('POST', '/api/v1/subscriptions', { token: investigator, body: body(name), headers: { 'idempotency-key': key } });
    const first = await post('Robberies', 'sub-key-1');
    const again = await post('Robberies', 'sub-key-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect(first.body.secret).toMatch(/^whsec_/);
    expect(again.headers.get('location')).toBe(`/api/v1/subscriptions/${first.body.id}`);
    const conflict = await post('Something else', 'sub-key-1');
    expect({ status: conflict.status, code: conflict.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_CONFLICT' });
    const listed = await call('GET', '/api/v1/subscriptions', { token: investigator });
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([first.body.id]);
    // The answer kept for the retry holds the secret sealed, never as given.
    const { docsOf } = await import('../support/retention');
    expect(JSON.stringify(await docsOf('idempotency', org))).not.toContain(first.body.secret);
  });

  it('a proposal and an acceptance retried with the same key get their first answers', async () => {
    const [a, b] = [await createOrg('retailer'), await createOrg('retailer')];
    const adminA = await tokenFor({ org: a, roles: ['RetailerAdmin'], mfa: true });
    const adminB = await tokenFor({ org: b, roles: ['RetailerAdmin'], mfa: true });
    const propose = (key?: string) => call('POST', '/api/v1/agreements', { token: adminA, body: { partnerRetailerId: b }, headers: key ? { 'idempotency-key': key } : {} });
    const first = await propose('agr-key-1');
    const again = await propose('agr-key-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    // Without a key, or with another one, proposing again is the conflict it always was.
    expect((await propose()).body.code).toBe('AGREEMENT_EXISTS');
    expect((await propose('agr-key-2')).body.code).toBe('AGREEMENT_EXISTS');
    const accept = () => call('POST', `/api/v1/agreements/${first.body.id}/accept`, { token: adminB, headers: { 'idempotency-key': 'acc-key-1' } });
    const accepted = await accept();
    const acceptedAgain = await accept();
    expect([accepted.status, acceptedAgain.status]).toEqual([200, 200]);
    expect(acceptedAgain.body).toEqual(accepted.body);
    expect(accepted.body.status).toBe('active');
    const acceptedWithAnotherKey = await call('POST', `/api/v1/agreements/${first.body.id}/accept`, { token: adminB, headers: { 'idempotency-key': 'acc-key-2' } });
    expect({ status: acceptedWithAnotherKey.status, code: acceptedWithAnotherKey.body.code }).toEqual({ status: 409, code: 'AGREEMENT_NOT_ACCEPTABLE' });
  });
});
