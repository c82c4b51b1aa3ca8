import { randomUUID } from 'node:crypto';
import { ownStack } from '../support/own-stack';
import { call, createOrg, tokenFor, type CallResult } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

/**
 * Changes whose answer was lost (PRODUCT §10b): the store applied the batch, the connection dropped
 * before its answer came back, and the store client sent it again, which the store refused as a
 * repeat (412 on a conditional replace, 409 on a create, 404 on a delete). The change is the
 * request's own and done: each is answered as done (never a 412 the client did not ask for, a 404
 * or a 409), stands in the store, and is in the chain once.
 */
const stack = ownStack();

/** The next transactional batch to this container lands with its answer lost; the resend meets the store. */
function loseNextBatch(collection: string): () => void {
  const proxy = stack().faults!.cosmos;
  const before = proxy.counts['reset-after'];
  proxy.set({ rate: 1, weights: { 'reset-after': 1 }, limit: 1, only: { method: 'POST', path: `/colls/${collection}/docs`, header: 'x-ms-cosmos-is-batch-request' } });
  return () => {
    proxy.set({ rate: 0 });
    // The fault was met: this test is about the answer to a batch that landed.
    expect(proxy.counts['reset-after']).toBe(before + 1);
  };
}

async function chainOf(org: string): Promise<{ action: string; target: { id: string }; outcome: string }[]> {
  const compliance = await tokenFor({ org, roles: ['Compliance'], sub: 'comp-1', mfa: true });
  const res = await call('GET', '/api/v1/audit/export', { token: compliance });
  return res.text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const once = async (org: string, action: string, target: string) => (await chainOf(org)).filter((e) => e.action === action && e.target.id === target);

async function expectDone(res: CallResult, status: number, met: () => void): Promise<void> {
  met();
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code: undefined });
}

describe('changes whose answer was lost are answered as done, stand, and are audited once', () => {
  it('settings, an event corrected and then deleted', async () => {
    const w = await retailerWorld();
    let met = loseNextBatch('orgs');
    await expectDone(await call('PUT', '/api/v1/settings', { token: w.admin, body: { retentionDays: 999 } }), 200, met);
    expect((await call('GET', '/api/v1/settings', { token: w.admin })).body.retentionDays).toBe(999);
    expect(await once(w.org, 'settings.update', w.org)).toHaveLength(1);

    const event = (await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody() })).body;
    const read = await call('GET', `/api/v1/events/${event.id}`, { token: w.investigator });
    met = loseNextBatch('retailer-records');
    const patched = await call('PATCH', `/api/v1/events/${event.id}`, {
      token: w.investigator,
      body: { description: 'Took razor blades; left by the side door.' },
      headers: { 'if-match': read.headers.get('etag')!, 'content-type': 'application/merge-patch+json' },
    });
    await expectDone(patched, 200, met);
    // The ETag answered is the stored version's: a correction made with it is not refused as stale.
    const current = await call('GET', `/api/v1/events/${event.id}`, { token: w.investigator });
    expect(current.body.description).toBe('Took razor blades; left by the side door.');
    expect(patched.headers.get('etag')).toBe(current.headers.get('etag'));
    expect(await once(w.org, 'event.update', event.id)).toHaveLength(1);

    met = loseNextBatch('retailer-records');
    await expectDone(await call('DELETE', `/api/v1/events/${event.id}`, { token: w.admin }), 204, met);
    expect((await call('GET', `/api/v1/events/${event.id}`, { token: w.investigator })).status).toBe(404);
    expect(await once(w.org, 'event.delete', event.id)).toHaveLength(1);
  }, 60_000);

  it('an agency approved, a subscription deleted, an agreement proposed (and its keyed retry answered the same)', async () => {
    const platform = await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true });
    const agency = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const approval = { agreementReference: 'DSA-1', privacyAssessmentReference: 'PIA-1', expiresAt: new Date(Date.now() + 86_400_000 * 30).toISOString() };
    let met = loseNextBatch('orgs');
    const approved = await call('PUT', `/api/v1/orgs/${agency}/activation`, { token: platform, body: approval });
    await expectDone(approved, 200, met);
    expect(approved.body.status).toBe('active');

    const w = await retailerWorld();
    const created = await call('POST', '/api/v1/subscriptions', { token: w.investigator, body: { name: 'Violence', filter: { violence: 'threatened' }, delivery: { mode: 'digest', url: 'http://127.0.0.1:9/hook' } } });
    expect(created.status).toBe(201);
    met = loseNextBatch('subscriptions');
    await expectDone(await call('DELETE', `/api/v1/subscriptions/${created.body.id}`, { token: w.investigator }), 204, met);
    expect((await call('GET', `/api/v1/subscriptions/${created.body.id}`, { token: w.investigator })).status).toBe(404);
    expect(await once(w.org, 'subscription.delete', created.body.id)).toHaveLength(1);

    const partner = await retailerWorld();
    const key = randomUUID();
    met = loseNextBatch('agreements');
    const proposed = await call('POST', '/api/v1/agreements', { token: w.admin, body: { partnerRetailerId: partner.org }, headers: { 'idempotency-key': key } });
    await expectDone(proposed, 201, met);
    const again = await call('POST', '/api/v1/agreements', { token: w.admin, body: { partnerRetailerId: partner.org }, headers: { 'idempotency-key': key } });
    expect({ status: again.status, id: again.body.id }).toEqual({ status: 201, id: proposed.body.id });
    expect((await once(w.org, 'agreement.propose', proposed.body.id)).length).toBe(1);
  }, 60_000);

  it('a decision on a suggestion', async () => {
    const w = await retailerWorld();
    const person = { ref: 'p1', role: 'offender', name: { given: 'Tamsin', family: `Oakhurst${Date.now().toString(36)}` }, dateOfBirth: '1988-02-29', phone: '+64215550199' };
    for (const occurredAt of ['2026-11-01T10:00:00Z', '2026-11-08T10:00:00Z']) {
      expect((await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ occurredAt, people: [person], vehicles: [] }) })).status).toBe(201);
    }
    let link: { id: string } | undefined;
    for (const deadline = Date.now() + 30_000; !link && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      link = (await call('GET', '/api/v1/links?status=pending', { token: w.investigator })).body.items?.[0];
    }
    expect(link).toBeDefined();
    const met = loseNextBatch('link-records');
    const decided = await call('POST', `/api/v1/links/${link!.id}/decision`, { token: w.investigator, body: { decision: 'reject' } });
    await expectDone(decided, 200, met);
    expect(decided.body.status).toBe('rejected');
    expect(await once(w.org, 'link.reject', link!.id)).toHaveLength(1);
  }, 60_000);
});

describe('an audited batch refused for another attempt is not taken for this one', () => {
  it('a create whose id an earlier attempt holds, with an equal draft (a retry sent with the same x-request-id), is not this call\'s', async () => {
    const { createAudited } = await import('../../../shared/audit/audit-outbox-repository');
    const org = await createOrg('retailer');
    const doc = { id: `sub-${randomUUID()}`, orgId: org, docType: 'subscription', name: 'first' };
    const entry = { key: `subscription.create:${doc.id}`, where: 'subscriptions-audit-outbox' as const, draft: { actor: { sub: 'a', org, roles: [] }, action: 'subscription.create', target: { type: 'subscription', id: doc.id }, outcome: 'success' as const, requestId: 'same-request-id' } };
    expect(await createAudited(org, doc, entry)).toBe(true);
    // The first attempt's outbox document is still there (it stopped before settling it): same key, same draft.
    const second = { ...doc, name: 'second' };
    expect(await createAudited(org, second, entry)).toBe(false);
  });
});

