import { randomInt } from 'node:crypto';
import { SUGGEST_PROBABILITY } from '../../../shared/domain/matching/model';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { reestimateModel } from '../../../shared/matching/model-estimation';
import { readModel } from '../../../shared/matching/model-repository';
import { storeWithoutMatching } from '../support/matching';
import { call, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

type World = Awaited<ReturnType<typeof retailerWorld>>;

async function report(w: World, people: unknown[], overrides: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people, vehicles: [], ...overrides }) });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string; people: { profileId: string }[] };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One person reported twice, the suggestion between the two reports rejected: a labelled non-match. */
async function rejectedPair(w: World, name: { given: string; family: string }, phone: string) {
  const twice = [{ ref: 'p1', role: 'offender', name, phone }];
  await report(w, twice);
  await report(w, twice);
  const [link] = await waitFor(async () => {
    const items = await pending(w);
    return items.length ? items : undefined;
  });
  expect((await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'reject' } })).status).toBe(200);
  return link;
}

const pending = async (w: World, query = '') => (await call('GET', `/api/v1/links?status=pending&pageSize=100${query}`, { token: w.investigator })).body.items as any[];

describe('Connect the Dots: probabilities and the learned model (PRODUCT §4b)', () => {
  it('every suggestion carries a calibrated probability, filterable with minProbability; the comparison vector stays inside', async () => {
    const w = await retailerWorld();
    const who = (given: string) => [{ ref: 'p1', role: 'offender', name: { given, family: 'Whakatōhea-Brown' }, dateOfBirth: '1988-03-14' }];
    await report(w, who('Rangi'));
    await report(w, who('Rangi'), { occurredAt: '2026-11-21T10:00:00Z' });
    const [link] = await waitFor(async () => {
      const items = await pending(w);
      return items.length ? items : undefined;
    });
    expect(link.probability).toBeGreaterThanOrEqual(SUGGEST_PROBABILITY);
    expect(link.probability).toBeLessThanOrEqual(1);
    expect(link).not.toHaveProperty('comparison');
    // No Cosmos DB property leaves the service (_rid, _self, _ts, _etag).
    expect(Object.keys(link).filter((k) => k.startsWith('_'))).toEqual([]);
    expect(await pending(w, `&minProbability=${link.probability}`)).toHaveLength(1);
    expect(await pending(w, `&minProbability=${Math.min(1, link.probability + 0.00005)}`)).toHaveLength(link.probability >= 0.99995 ? 1 : 0);
    const bad = await call('GET', '/api/v1/links?minProbability=2', { token: w.investigator });
    expect(bad.status).toBe(400);
    expect((await call('GET', '/api/v1/links?minProbability=high', { token: w.investigator })).status).toBe(400);
  });

  it('GET /matching/model: the prior for a new retailer, for Investigators only, and audited', async () => {
    const w = await retailerWorld();
    const res = await call('GET', '/api/v1/matching/model', { token: w.investigator });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'prior', estimatedAt: null, people: 0, suggestAt: SUGGEST_PROBABILITY });
    const name = res.body.signals.find((s: { signal: string }) => s.signal === 'name');
    expect(name.levels.find((l: { level: string }) => l.level === 'full-exact')).toMatchObject({ valueDependent: true });
    for (const s of res.body.signals) for (const l of s.levels) expect(l.weight).toBeCloseTo(Math.log2(l.m / l.u), 1);
    expect((await call('GET', '/api/v1/matching/model', { token: w.reporter })).status).toBe(403);
    const compliance = await tokenFor({ org: w.org, roles: ['Compliance'], sub: 'c-1', mfa: true });
    const audit = await call('GET', '/api/v1/audit/export?format=jsonl', { token: compliance });
    const actions = String(audit.text).trim().split('\n').map((l) => JSON.parse(l).action);
    expect(actions).toContain('matching-model.read');
  });

  it('a new estimate matches a small retailer again: a pair never compared is suggested, a rejected one is not', async () => {
    const w = await retailerWorld();
    const link = await rejectedPair(w, { given: 'Hinemoa', family: 'Rangihuna-Petersen' }, '+64215550177');
    // A person reported twice, the second report stored without its matching request: never compared.
    const who = [{ ref: 'p1', role: 'offender', name: { given: 'Tamati', family: 'Wikiriwhi-Oakes' }, dateOfBirth: '1991-03-14', phone: '+64215550188' }];
    const first = await report(w, who);
    const second = await storeWithoutMatching(w, EventInputSchema.parse(eventBody({ people: who, vehicles: [] })));
    expect((await pending(w)).length).toBe(0);
    // Enough people for an estimate (each reported and matched as usual: strangers to each other), then the estimate.
    const letters = () => Array.from({ length: 9 }, () => String.fromCharCode(97 + randomInt(26))).join('');
    for (let i = 0; i < 50; i++) await report(w, [{ ref: 'p1', role: 'offender', name: { given: `G${letters()}`, family: `F${letters()}` }, heightCm: 150 + i }]);
    // Each report joins the population once the matcher (a queue) has indexed it: estimate once all have.
    await waitFor(async () => ((await reestimateModel(w.org)).source === 'estimated' ? true : undefined));
    // The re-match finds the pair never compared ...
    const events = (l: any): string[] => [l.subject.eventId, ...l.candidate.eventIds];
    const found = await waitFor(async () => (await pending(w)).find((l) => events(l).includes(second)));
    expect(events(found).sort()).toEqual([first.id, second].sort());
    // ... and the rejected pair stays rejected, not suggested again.
    const rejectedNow = (await call('GET', '/api/v1/links?status=rejected&pageSize=100', { token: w.investigator })).body.items;
    expect(rejectedNow.map((l: { id: string }) => l.id)).toEqual([link.id]);
    const rejectedEvents = events(link).sort();
    expect((await pending(w)).filter((l) => JSON.stringify(events(l).sort()) === JSON.stringify(rejectedEvents))).toEqual([]);
    // The population it was matched again at is kept; estimated again before it doubles, it is not matched again.
    const rematchedAt = (await readModel(w.org, true)).rematchedAt;
    expect(rematchedAt).toBeGreaterThanOrEqual(50);
    expect((await reestimateModel(w.org)).rematchedAt).toBe(rematchedAt);
  });

  it('a retailer whose first 62 people are all strangers still has a returning person suggested after its estimate', async () => {
    const w = await retailerWorld();
    const letters = () => Array.from({ length: 9 }, () => String.fromCharCode(97 + randomInt(26))).join('');
    for (let i = 0; i < 62; i++) {
      const dob = `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`;
      await report(w, [{ ref: 'p1', role: 'offender', name: { given: `G${letters()}`, family: `F${letters()}` }, dateOfBirth: dob, phone: `+642155${String(10000 + i)}` }]);
    }
    await waitFor(async () => ((await reestimateModel(w.org)).source === 'estimated' ? true : undefined));
    // Before the share of matches had a prior, EM learned it as about 2e-19 here, and nothing was ever suggested again.
    const model = (await call('GET', '/api/v1/matching/model', { token: w.investigator })).body;
    expect(model.priorMatchShare).toBeGreaterThan(1e-5);
    const who = [{ ref: 'p1', role: 'offender', name: { given: 'Tumanako', family: 'Wharepapa' }, dateOfBirth: '1991-04-12', phone: '+64211234567' }];
    const first = await report(w, who);
    const second = await report(w, who, { occurredAt: '2026-11-21T10:00:00Z' });
    const events = (l: any): string[] => [l.subject.eventId, ...l.candidate.eventIds];
    const found = await waitFor(async () => (await pending(w)).find((l) => events(l).includes(second.id)));
    expect(events(found).sort()).toEqual([first.id, second.id].sort());
    expect(found.probability).toBeGreaterThanOrEqual(SUGGEST_PROBABILITY);
  });

  it('is estimated from the retailer\'s own people once it has 50, with its decisions as labelled pairs', async () => {
    const w = await retailerWorld();
    // One decided pair first: a rejection is a labelled non-match.
    await rejectedPair(w, { given: 'Mereana', family: 'Tūhoe-Kingi' }, '+64215550101');
    // Then enough distinct people for an estimate.
    for (let i = 0; i < 50; i++) {
      await report(w, [{ ref: 'p1', role: 'offender', name: { given: `Given${String.fromCharCode(97 + (i % 26))}`, family: `Family${i}` }, heightCm: 150 + i }]);
    }
    const model = await waitFor(async () => {
      const res = await call('GET', '/api/v1/matching/model', { token: w.investigator });
      return res.body.source === 'estimated' ? res.body : undefined;
    }, 60_000);
    expect(model.people).toBeGreaterThanOrEqual(50);
    expect(model.pairs.labelled).toBe(1);
    expect(model.pairs.random).toBeGreaterThan(0);
    expect(Date.parse(model.estimatedAt)).toBeGreaterThan(Date.now() - 120_000);
  });
});
