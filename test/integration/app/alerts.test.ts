import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { call, createOrg, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A webhook receiver on the loopback address: records what arrives, answers what `answer` says. */
async function receiver(answer: (n: number, path: string) => number = () => 204) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.statusCode = answer(received.filter((r) => r.path === req.url).length, req.url ?? '');
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return { received, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const violent = { violence: { threatened: true, used: false, weapon: 'none' } };
const calm = { violence: undefined };
let hooks: Awaited<ReturnType<typeof receiver>>;
const at = (path: string) => hooks.received.filter((r) => r.path === path);

beforeAll(async () => {
  hooks = await receiver((n, path) => (path.startsWith('/flaky') && n === 1 ? 500 : 204));
});
// Subscriptions end before the receiver closes: an agency's subscription hears of every event
// shared with it, and the tests after these (same stack) would otherwise feed it deliveries that fail and retry.
const created: { token: string; id: string }[] = [];
async function subscribe(options: { token: string; body: unknown; headers?: Record<string, string> }) {
  const res = await call('POST', '/api/v1/subscriptions', options);
  if (res.status === 201) created.push({ token: options.token, id: res.body.id });
  return res;
}
afterAll(async () => {
  for (const { token, id } of created) await call('DELETE', `/api/v1/subscriptions/${id}`, { token });
  await hooks.close();
});

describe('alerts by signed webhook (PRODUCT §6b)', () => {
  it('an instant subscription gets a signed CloudEvent for a matching event within seconds, and nothing else', async () => {
    const w = await retailerWorld();
    const other = await retailerWorld();
    const created = await subscribe({
      token: w.investigator,
      body: { name: 'Threats at any store', filter: { violence: 'threatened' }, delivery: { mode: 'instant', url: hooks.url('/own') } },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.headers.get('location')).toBe(`/api/v1/subscriptions/${created.body.id}`);
    for (const res of [await call('GET', '/api/v1/subscriptions', { token: w.investigator }), await call('GET', `/api/v1/subscriptions/${created.body.id}`, { token: w.admin })]) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(created.body.secret);
      expect(res.text).not.toMatch(/sealed|_rid/i);
    }

    // Not matching (no violence), another retailer's violent event: nothing. Then a match.
    await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody(calm) });
    await call('POST', '/api/v1/events', { token: other.reporter, body: eventBody(violent) });
    const stored = Date.now();
    const event = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody(violent) })).body;
    const got = await until(() => at('/own')[0]);
    expect(got.at - stored).toBeLessThan(10_000);
    const payload = new Webhook(created.body.secret).verify(got.body, got.headers as Record<string, string>) as Record<string, any>;
    expect(payload).toMatchObject({ specversion: '1.0', type: 'daybreak.event.reported', id: got.headers['webhook-id'], subject: event.id });
    expect(payload.data).toMatchObject({ eventId: event.id, retailerId: w.org, storeId: 'akl-042', jurisdiction: 'NZ-AKL', type: 'shoplifting', violence: violent.violence });
    expect(payload.data.profileIds).toEqual([event.people[0].profileId]);
    // Ids, places, figures and flags only: no name, description, clothing or feature.
    expect(got.body).not.toMatch(/Smith|Jon|razor|hoodie|snake/i);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(at('/own')).toHaveLength(1);
    // A forged signature does not verify.
    expect(() => new Webhook(created.body.secret).verify(got.body.replace('NZ-AKL', 'NZ-WGN'), got.headers as Record<string, string>)).toThrow();
    const deliveries = await call('GET', `/api/v1/subscriptions/${created.body.id}/deliveries`, { token: w.investigator });
    expect(deliveries.body.items).toEqual([expect.objectContaining({ webhookId: got.headers['webhook-id'], status: 'delivered', attempts: 1, eventIds: [event.id], lastResult: 'HTTP 204' })]);
  }, 40_000);

  it('police get only what is shared with their agency, never a sensitive event; the retailer’s Investigators do', async () => {
    const w = await retailerWorld();
    const agency = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-alerts' });
    const policeBody = { name: 'AKL', filter: { jurisdictions: ['NZ-AKL'] }, delivery: { mode: 'instant', url: hooks.url(`/police-${agency}`) } };
    expect((await subscribe({ token: officer, headers: { 'x-legal-basis': 'curiosity', 'x-case-reference': 'OP-1' }, body: policeBody })).body.code).toBe('PURPOSE_REQUIRED');
    const police = await subscribe({ token: officer, headers: { 'x-legal-basis': 'investigation', 'x-case-reference': 'OP-AKL/7' }, body: policeBody });
    expect(police.status).toBe(201);
    const own = await subscribe({ token: w.investigator, body: { name: 'all', delivery: { mode: 'instant', url: hooks.url(`/inv-${w.org}`) } } });
    const sensitive = (await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ sensitive: true, policeSharing: { mode: 'all', excludeAgencies: [] } }) })).body;
    const wgn = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody({ storeId: 'wgn-007' }) })).body;
    const shared = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() })).body;
    const subjects = (path: string) => at(path).map((r) => JSON.parse(r.body).subject as string);
    await until(() => (subjects(`/inv-${w.org}`).length === 3 ? true : undefined));
    expect(subjects(`/inv-${w.org}`).sort()).toEqual([sensitive.id, wgn.id, shared.id].sort());
    await until(() => (subjects(`/police-${agency}`).includes(shared.id) ? true : undefined));
    await new Promise((r) => setTimeout(r, 2_000));
    expect(subjects(`/police-${agency}`)).toEqual([shared.id]);
    expect(own.status).toBe(201);
    // The delivery to the police is in the owner's chain with the purpose the officer stated.
    const { readChain } = await import('../../../shared/audit/audit-entry-repository');
    const delivered = [];
    for await (const e of readChain(w.org)) if (e.action === 'alert.delivered' && e.actor.org === agency) delivered.push(e);
    expect(delivered).toEqual([expect.objectContaining({ target: { type: 'event', id: shared.id }, details: expect.objectContaining({ relation: 'police', legalBasis: 'investigation', caseReference: 'OP-AKL/7' }) })]);
  }, 40_000);

  it('a failed delivery is tried again within a minute with the same webhook-id', async () => {
    const w = await retailerWorld();
    const sub = await subscribe({ token: w.admin, body: { name: 'flaky', delivery: { mode: 'instant', url: hooks.url(`/flaky-${w.org}`) } } });
    await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() });
    const [first, second] = await until(() => (at(`/flaky-${w.org}`).length >= 2 ? at(`/flaky-${w.org}`) : undefined), 60_000);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.at - first!.at).toBeLessThan(60_000);
    expect(() => new Webhook(sub.body.secret).verify(second!.body, second!.headers as Record<string, string>)).not.toThrow();
    const deliveries = await call('GET', `/api/v1/subscriptions/${sub.body.id}/deliveries`, { token: w.admin });
    expect(deliveries.body.items[0]).toMatchObject({ status: 'delivered', attempts: 2, lastResult: 'HTTP 204' });
  }, 90_000);

  it('refuses bad subscriptions, other roles and other organisations; a deleted one delivers nothing more', async () => {
    const w = await retailerWorld();
    const body = (url: string) => ({ name: 'x', delivery: { mode: 'instant', url } });
    for (const url of ['ftp://127.0.0.1/x', 'http://example.com/hook', 'https://10.0.0.1/hook', 'https://169.254.169.254/latest', 'https://user:pw@example.com/', 'not a url']) {
      const res = await subscribe({ token: w.investigator, body: body(url) });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
    }
    for (const bad of [{ name: 'x', delivery: { mode: 'hourly', url: hooks.url('/x') } }, { ...body(hooks.url('/x')), filter: { violence: 'shouted' } }, { ...body(hooks.url('/x')), extra: 1 }]) {
      expect((await subscribe({ token: w.investigator, body: bad })).status).toBe(400);
    }
    for (const token of [w.reporter, w.compliance, w.integration]) expect((await subscribe({ token, body: body(hooks.url('/x')) })).status).toBe(403);
    const sub = (await subscribe({ token: w.investigator, body: body(hooks.url(`/gone-${w.org}`)) })).body;
    const stranger = (await retailerWorld()).investigator;
    expect((await call('GET', `/api/v1/subscriptions/${sub.id}`, { token: stranger })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/subscriptions/${sub.id}`, { token: stranger })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/subscriptions/${sub.id}`, { token: w.investigator })).status).toBe(204);
    expect((await call('GET', `/api/v1/subscriptions/${sub.id}`, { token: w.investigator })).status).toBe(404);
    await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() });
    await new Promise((r) => setTimeout(r, 4_000));
    expect(at(`/gone-${w.org}`)).toEqual([]);
    const { readChain } = await import('../../../shared/audit/audit-entry-repository');
    const actions: string[] = [];
    for await (const e of readChain(w.org)) if (e.target.id === sub.id) actions.push(e.action);
    expect(actions).toEqual(['subscription.create', 'subscription.delete']);
  }, 40_000);

  it('a tier over the last so many days lapses when its events leave the window, without a new event (fifth audit)', async () => {
    const w = await retailerWorld();
    // 1,500 lost 90 days ago less 8 s: high-loss (1,000 in the last 90 days) for 8 s.
    const occurredAt = new Date(Date.now() - 90 * 86_400_000 + 8_000).toISOString();
    const body = eventBody({ occurredAt, prevented: false, violence: { threatened: false, used: false, weapon: 'none' }, products: [{ sku: 'tv', name: 'TV', quantity: 1, unitValue: 1500 }], currency: 'NZD' });
    const event = (await call('POST', '/api/v1/events', { token: w.reporter, body })).body;
    const profileId = event.people[0].profileId;
    let tiers: { name: string }[] = [];
    for (const deadline = Date.now() + 7_000; Date.now() < deadline && !tiers.length; await new Promise((r) => setTimeout(r, 100))) {
      tiers = (await call('GET', `/api/v1/profiles/${profileId}`, { token: w.investigator })).body.riskTiers;
    }
    expect(tiers.map((t) => t.name)).toEqual(['high-loss']);
    await new Promise((r) => setTimeout(r, Date.parse(occurredAt) + 90 * 86_400_000 - Date.now() + 200));
    expect((await call('GET', '/api/v1/profiles?riskTier=high-loss', { token: w.investigator })).body.items).toEqual([]);
    expect((await call('GET', `/api/v1/profiles/${profileId}`, { token: w.investigator })).body.riskTiers).toEqual([]);
  }, 30_000);

  it('risk tiers: a weapon puts the person in extreme-threat, with why, and profiles filter by tier', async () => {
    const w = await retailerWorld();
    const armed = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody({ type: 'robbery', violence: { threatened: true, used: true, weapon: 'knife' } }) })).body;
    const profileId = armed.people[0].profileId;
    const deadline = Date.now() + 15_000;
    let profile: any;
    do {
      profile = (await call('GET', `/api/v1/profiles/${profileId}`, { token: w.investigator })).body;
      if (profile.riskTiers?.length) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < deadline);
    expect(profile.riskTiers).toEqual([{ name: 'extreme-threat', reason: '1 event(s) with a weapon' }]);
    const listed = await call('GET', '/api/v1/profiles?riskTier=extreme-threat', { token: w.investigator });
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([profileId]);
    expect((await call('GET', '/api/v1/profiles?riskTier=high-loss', { token: w.investigator })).body.items).toEqual([]);
    expect((await call('GET', '/api/v1/profiles?riskTier=Not%20A%20Tier', { token: w.investigator })).status).toBe(400);

    // The retailer replaces its tiers: profiles already there carry the new ones, without a new event.
    const tiers = [{ name: 'armed', when: { weaponUsed: true } }, { name: 'frequent', when: { events: 2 } }];
    expect((await call('PUT', '/api/v1/settings', { token: w.admin, body: { riskTiers: tiers } })).status).toBe(200);
    const until = Date.now() + 15_000;
    do {
      profile = (await call('GET', `/api/v1/profiles/${profileId}`, { token: w.investigator })).body;
      if (profile.riskTiers?.[0]?.name === 'armed') break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < until);
    expect(profile.riskTiers.map((t: { name: string }) => t.name)).toEqual(['armed']);
    expect((await call('GET', '/api/v1/profiles?riskTier=armed', { token: w.investigator })).body.items.map((p: { id: string }) => p.id)).toEqual([profileId]);
    expect((await call('GET', '/api/v1/profiles?riskTier=extreme-threat', { token: w.investigator })).body.items).toEqual([]);
  }, 45_000);

  it('a digest subscription gets one daily CloudEvent listing the day’s matching events', async () => {
    const w = await retailerWorld();
    const sub = (await subscribe({ token: w.investigator, body: { name: 'daily', delivery: { mode: 'digest', url: hooks.url(`/digest-${w.org}`) } } })).body;
    const ids = [];
    for (let i = 0; i < 2; i += 1) ids.push((await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() })).body.id);
    const { digestItems } = await import('../../../shared/alerts/subscription-repository');
    const day = new Date().toISOString().slice(0, 10);
    const deadline = Date.now() + 15_000;
    while ((await digestItems(w.org, sub.id, day)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(at(`/digest-${w.org}`)).toEqual([]); // nothing instant
    const { queueDigests } = await import('../../../shared/alerts/alert-delivery');
    await queueDigests(day);
    const got = await until(() => at(`/digest-${w.org}`)[0]);
    const payload = new Webhook(sub.secret).verify(got.body, got.headers as Record<string, string>) as Record<string, any>;
    expect(payload).toMatchObject({ type: 'daybreak.digest.daily', data: { subscriptionId: sub.id, day } });
    expect(payload.data.events.map((e: { eventId: string }) => e.eventId).sort()).toEqual(ids.sort());
    // Queued again (a timer that ran twice): the same digest, not a second one.
    await queueDigests(day);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(at(`/digest-${w.org}`)).toHaveLength(1);
  }, 40_000);
});

describe('webhook deliveries that lost their way', () => {
  it('a delivery whose message was lost is found by the sweep and delivered once; a second message for it is dropped', async () => {
    const w = await retailerWorld();
    const sub = (await subscribe({ token: w.investigator, body: { name: 'lost', delivery: { mode: 'instant', url: hooks.url(`/lost-${w.org}`) } } })).body;
    const event = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() })).body;
    const first = await until(() => at(`/lost-${w.org}`)[0]);
    const { readDelivery, saveDelivery } = await import('../../../shared/alerts/subscription-repository');
    const { sweepDeliveries, attemptDelivery } = await import('../../../shared/alerts/alert-delivery');
    const webhookId = first.headers['webhook-id'] as string;
    // The host records the delivery once the receiver has answered: wait for that record.
    const stored = await until(async () => {
      const d = await readDelivery(w.org, webhookId);
      return d?.status === 'delivered' ? d : undefined;
    });
    // As if that attempt had never happened and its message were lost: pending, no message, created two minutes ago.
    await saveDelivery({ ...stored, status: 'pending', attempts: 0, nextAttemptAt: null, createdAt: new Date(Date.now() - 120_000).toISOString() });
    const swept = await sweepDeliveries();
    expect(swept.requeued).toBeGreaterThanOrEqual(1);
    const second = await until(() => at(`/lost-${w.org}`)[1]);
    expect(second.headers['webhook-id']).toBe(webhookId);
    expect(JSON.parse(second.body).subject).toBe(event.id);
    // Delivered: any further message for it changes nothing.
    expect(await attemptDelivery({ orgId: w.org, webhookId })).toBe('skipped');
    expect(sub.id).toBeDefined();
  }, 40_000);
});
