import { MODEL_QUEUE, modelEstimation, type ModelEstimationStore } from '../../../shared/matching/model-estimation';
import { REMATCH_QUEUE } from '../../../shared/matching/match-queue-name';
import { estimateModel } from '../../../shared/domain/matching/estimate';
import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import { ESTIMATE_MIN_PEOPLE, ESTIMATE_RULES, PRIOR_MODEL, type MatchModel } from '../../../shared/domain/matching/model';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';
import frequencies from '../../../shared/domain/matching/name-frequencies.json';

/**
 * Keeping a retailer's model in step, over profiles, models, settings and queues in memory. The
 * estimate itself is the domain's own (estimate.ts), run for real on the profiles; when it runs,
 * what is written and what goes on the queues are this logic's. Storage is faked as it behaves:
 * profiles are listed with their facts only when matchable and their newest event, a written
 * model is what the next read answers. The same runs against the emulators in
 * test/integration/app/matching-model.test.ts.
 */
const NOW = new Date('2026-11-02T04:10:00Z');
const SURNAMES = Object.keys(frequencies.family);
/** Someone with a DOB and a phone besides the name. */
const identified = (i: number): PersonFacts => ({ ...named(i), dobs: [`1980-01-${String(1 + (i % 28)).padStart(2, '0')}`], phones: [`+6421555${String(1000 + i)}`] });
const named = (i: number): PersonFacts => ({ ...EMPTY_FACTS, names: [{ given: i % 3 === 0 ? 'Michael' : `Given${i}`, family: SURNAMES[i % SURNAMES.length]! }], eventIds: [`e${i}`] });

class Records implements ModelEstimationStore {
  settings = new Map<string, RetailerSettings>();
  models = new Map<string, MatchModel>();
  /** Retailer → its profiles as the listing answers them. */
  profiles = new Map<string, { id: string; facts?: PersonFacts; lastEventId?: string; unindexed: string[] }[]>();
  populations = new Map<string, number>();
  retailers: string[] = [];
  /** Models written, in order; messages sent, in order. */
  written: { retailerId: string; model: MatchModel }[] = [];
  sent: { queueName: string; message: unknown }[] = [];
  profileReads: string[] = [];
  modelReads: boolean[] = [];
  queueFault?: Error;
  /** Retailers whose profiles cannot be read (a store fault that outlasted the retries). */
  unreadable = new Set<string>();

  getSettings = async (retailerId: string) => ({ settings: structuredClone(this.settings.get(retailerId) ?? DEFAULT_SETTINGS) });
  decidedComparisons = async () => [];
  readModel = async (retailerId: string, fresh: boolean) => {
    this.modelReads.push(fresh);
    return structuredClone(this.models.get(retailerId) ?? PRIOR_MODEL);
  };
  writeModel = async (retailerId: string, model: MatchModel) => {
    this.written.push({ retailerId, model: structuredClone(model) });
    this.models.set(retailerId, structuredClone(model));
  };
  retailerProfiles = (retailerId: string) => this.listing(retailerId);
  population = async (retailerId: string) => this.populations.get(retailerId) ?? 0;
  /** No key saturates among these few people. */
  saturatedWindows = async () => new Map<string, string[]>();
  listRetailerIds = () => this.ids();
  /** Fails only the model queue's sends (a retailer queued for a new estimate). */
  modelQueueFault?: Error;
  enqueue = async (queueName: string, message: unknown) => {
    if (this.queueFault) throw this.queueFault;
    if (this.modelQueueFault && queueName === MODEL_QUEUE) throw this.modelQueueFault;
    this.sent.push({ queueName, message: structuredClone(message) });
  };

  private async *listing(retailerId: string) {
    this.profileReads.push(retailerId);
    if (this.unreadable.has(retailerId)) throw Object.assign(new Error('503 from the store'), { code: 503 });
    for (const p of this.profiles.get(retailerId) ?? []) yield structuredClone(p);
  }
  /** The listing of retailers fails after this many (a store fault part-way through its pages). */
  listFailsAfter?: number;
  private async *ids() {
    for (const [n, id] of this.retailers.entries()) {
      if (this.listFailsAfter === n) throw new Error('503 listing retailers');
      yield id;
    }
  }
  /**
   * `people` matchable profiles (facts and an event each), and `unmatchable` more with an event but
   * no facts; the first `twice` people are reported a second time, unmerged (a profile of the same
   * name, DOB and phone: `t<i>`), the rest are strangers to each other.
   */
  people(retailerId: string, people: number, unmatchable = 0, twice = 0): void {
    this.retailers.push(retailerId);
    const list = [
      ...Array.from({ length: people - twice }, (_, i) => ({ id: `pe${i}`, facts: i < twice ? identified(i) : named(i), lastEventId: `e${i}`, unindexed: [] })),
      ...Array.from({ length: twice }, (_, i) => ({ id: `pt${i}`, facts: { ...identified(i), eventIds: [`t${i}`] }, lastEventId: `t${i}`, unindexed: [] })),
      ...Array.from({ length: unmatchable }, (_, i) => ({ id: `pu${i}`, lastEventId: `u${i}`, unindexed: [] })),
    ];
    this.profiles.set(retailerId, list);
    this.populations.set(retailerId, people);
  }
  rematchEvents = () => this.sent.filter((s) => s.queueName === REMATCH_QUEUE).map((s) => (s.message as { events: { eventId: string }[] }).events.length);
}

/** What the estimate makes of a retailer's first `n` people from `prior`, computed here directly. */
const expectedEstimate = (n: number, prior: MatchModel, imageMatching = false) =>
  estimateModel({ profiles: Array.from({ length: n }, (_, i) => ({ facts: named(i) })), labelled: [], imageMatching, now: NOW, seed: n, prior });

function world() {
  const records = new Records();
  return { records, ...modelEstimation(records) };
}

describe('reestimateModel', () => {
  test("a small retailer's first estimate, from its matchable profiles, is written; then the newest event of each profile with a candidate likely under it is matched again, 100 a message, and the population recorded", async () => {
    const { records, reestimateModel } = world();
    // 105 people reported twice: both of each pair are likely candidates of each other; the 50 others
    // are strangers. Three profiles hold a report never indexed (its matching request lost).
    records.people('shop', 260, 150, 105);
    for (const p of records.profiles.get('shop')!.filter((p) => ['u0', 'u1', 'e150'].includes(p.lastEventId!))) p.unindexed = [p.lastEventId!];
    // One holding four such events (its newest last): its newest three are sent.
    records.profiles.get('shop')!.find((p) => p.lastEventId === 'u2')!.unindexed = ['x1', 'x2', 'x3', 'u2'];
    records.settings.set('shop', { ...DEFAULT_SETTINGS, connectTheDots: { crossRetailer: false, imageMatching: true } });
    const model = await reestimateModel('shop', NOW);
    const expected = estimateModel({ profiles: records.profiles.get('shop')!.flatMap((p) => (p.facts ? [{ facts: p.facts }] : [])), labelled: [], imageMatching: true, now: NOW, seed: 260, prior: PRIOR_MODEL });
    expect(expected).toMatchObject({ source: 'estimated', people: 260, estimatedAt: NOW.toISOString() });
    expect(model).toEqual({ ...expected, rematchedAt: 260 });
    expect(records.modelReads).toEqual([true]);
    expect(records.written).toEqual([
      { retailerId: 'shop', model: expected },
      { retailerId: 'shop', model: { ...expected, rematchedAt: 260 } },
    ]);
    expect(records.rematchEvents()).toEqual([100, 100, 16]);
    const events = records.sent.flatMap((s) => (s.message as { events: { retailerId: string; eventId: string }[]; rematch: boolean }).events);
    const twice = Array.from({ length: 105 }, (_, i) => [`e${i}`, `t${i}`]).flat();
    expect(events.map((e) => e.eventId).sort()).toEqual([...twice, 'u0', 'u1', 'e150', 'x2', 'x3', 'u2'].sort());
    expect(records.sent.every((s) => (s.message as { rematch: boolean }).rematch === true && (s.message as { events: { retailerId: string }[] }).events.every((e) => e.retailerId === 'shop'))).toBe(true);
  });

  test('estimated again before the population has doubled: the new estimate keeps the last re-match, and nothing is matched again', async () => {
    const { records, reestimateModel } = world();
    records.people('shop', 60);
    await reestimateModel('shop', NOW);
    const first = records.models.get('shop')!;
    records.written = [];
    records.sent = [];
    records.people('shop', 100);
    const later = new Date(NOW.getTime() + 86_400_000);
    const model = await reestimateModel('shop', later);
    const expected = estimateModel({ profiles: Array.from({ length: 100 }, (_, i) => ({ facts: named(i) })), labelled: [], imageMatching: false, now: later, seed: 100, prior: first });
    expect(model).toEqual({ ...expected, rematchedAt: 60 });
    expect(records.written).toEqual([{ retailerId: 'shop', model: { ...expected, rematchedAt: 60 } }]);
    expect(records.sent).toEqual([]);
  });

  test('fewer than ESTIMATE_MIN_PEOPLE people: the prior stands unwritten; an estimated model stands without the given names it counted', async () => {
    const { records, reestimateModel } = world();
    records.people('new', 5);
    expect(await reestimateModel('new', NOW)).toEqual(PRIOR_MODEL);
    expect(records.written).toEqual([]);
    records.people('emptied', ESTIMATE_MIN_PEOPLE - 1);
    const estimated = { ...expectedEstimate(60, PRIOR_MODEL), rematchedAt: 60 };
    expect(estimated.givenNames).toBeDefined();
    records.models.set('emptied', estimated);
    const { givenNames: _dropped, ...rest } = estimated;
    expect(await reestimateModel('emptied', NOW)).toEqual(rest);
    expect(records.written).toEqual([{ retailerId: 'emptied', model: rest }]);
    // Again: nothing more to drop, nothing written.
    expect(await reestimateModel('emptied', NOW)).toEqual(rest);
    expect(records.written).toHaveLength(1);
    expect(records.sent).toEqual([]);
  });

  test('a queue that refuses the re-match fails the run with the estimate written but the population not recorded: the next estimate matches again', async () => {
    const { records, reestimateModel } = world();
    records.people('shop', 60, 0, 10);
    records.queueFault = new Error('queue unavailable');
    await expect(reestimateModel('shop', NOW)).rejects.toThrow('queue unavailable');
    expect(records.written).toHaveLength(1);
    expect(records.models.get('shop')).toMatchObject({ source: 'estimated', people: 60 });
    expect(records.models.get('shop')!.rematchedAt).toBeUndefined();
    records.queueFault = undefined;
    const model = await reestimateModel('shop', NOW);
    expect(model.rematchedAt).toBe(60);
    expect(records.rematchEvents()).toEqual([20]);
  });

  test("a retailer matching across retailers has every profile matched again: its partners' candidates are not among its profiles", async () => {
    const { records, reestimateModel } = world();
    records.people('shop', 60);
    records.settings.set('shop', { ...DEFAULT_SETTINGS, connectTheDots: { crossRetailer: true, imageMatching: false } });
    await reestimateModel('shop', NOW);
    expect(records.rematchEvents()).toEqual([60]);
  });

  test('a retailer of strangers, none a likely candidate of another under the new model: nothing is matched again, and the re-match is recorded', async () => {
    const { records, reestimateModel } = world();
    records.people('shop', 60);
    expect((await reestimateModel('shop', NOW)).rematchedAt).toBe(60);
    expect(records.sent).toEqual([]);
  });

  test('estimates asked at once run one after the other in a process, each finished before the next reads its people; a failed one does not stop the next', async () => {
    const { records, reestimateModel } = world();
    records.people('a', 60);
    records.people('b', 70);
    records.people('c', 80);
    records.unreadable.add('b');
    const events: string[] = [];
    const writeModel = records.writeModel;
    records.writeModel = async (retailerId, model) => {
      events.push(`wrote ${retailerId}`);
      await writeModel(retailerId, model);
    };
    const retailerProfiles = records.retailerProfiles;
    records.retailerProfiles = (retailerId) => {
      events.push(`reads ${retailerId}`);
      return retailerProfiles(retailerId);
    };
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((id) => reestimateModel(id, NOW)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Each estimate writes its model, then (first estimate, doubled from none) the population it re-matched.
    expect(events).toEqual(['reads a', 'wrote a', 'wrote a', 'reads b', 'reads c', 'wrote c', 'wrote c']);
  });
});

describe('reestimateChanged, the daily run', () => {
  test('estimates only the retailers whose population moved from the one their model was made from, and counts those it changed', async () => {
    const { records, reestimateChanged } = world();
    records.people('grown', 60);
    records.people('tiny', 1);
    records.people('few', 10);
    records.people('steady', 60);
    records.models.set('steady', { ...expectedEstimate(60, PRIOR_MODEL), rematchedAt: 60 });
    expect(await reestimateChanged(NOW)).toEqual({ retailers: 4, estimated: 1, queued: 0, failures: [] });
    // 'few' is looked at (its population is not its prior's 0) but has too few people for an estimate.
    expect(records.profileReads).toEqual(['grown', 'few']);
    expect(records.written.map((w) => w.retailerId)).toEqual(['grown', 'grown']);
  });

  test('a model learned under earlier rules is estimated again though its population has not moved', async () => {
    const { records, reestimateChanged } = world();
    records.people('old', 60);
    const { rules: _current, ...old } = expectedEstimate(60, PRIOR_MODEL);
    records.models.set('old', { ...old, rematchedAt: 60 });
    const later = new Date(NOW.getTime() + 86_400_000);
    expect(await reestimateChanged(later)).toEqual({ retailers: 1, estimated: 1, queued: 0, failures: [] });
    expect(records.models.get('old')).toMatchObject({ rules: ESTIMATE_RULES, people: 60, estimatedAt: later.toISOString() });
  });

  test("one retailer's failure does not stop the others: it goes to the model queue, and the run fails only if that fails too", async () => {
    const { records, reestimateChanged } = world();
    records.people('broken', 60);
    records.people('grown', 60);
    records.unreadable.add('broken');
    expect(await reestimateChanged(NOW)).toEqual({ retailers: 2, estimated: 1, queued: 1, failures: ['broken: 503 from the store'] });
    expect(records.written.map((w) => w.retailerId)).toEqual(['grown', 'grown']);
    expect(records.sent.filter((s) => s.queueName === MODEL_QUEUE)).toEqual([{ queueName: MODEL_QUEUE, message: { retailerId: 'broken' } }]);
    // The model queue down as well: the others are still estimated, and the run fails naming only the one it could not hand on.
    records.people('other', 60);
    records.modelQueueFault = new Error('queue down');
    await expect(reestimateChanged(NOW)).rejects.toThrow('The model of 1 retailer(s) could not be estimated nor queued: broken');
    expect(records.models.get('other')).toMatchObject({ people: 60 });
  });

  test('when the listing itself fails part-way, the retailers that failed before it are still queued, and the run fails with the listing', async () => {
    const { records, reestimateChanged } = world();
    records.people('broken', 60);
    records.people('later', 60);
    records.unreadable.add('broken');
    records.listFailsAfter = 1;
    await expect(reestimateChanged(NOW)).rejects.toThrow('503 listing retailers');
    expect(records.sent.filter((s) => s.queueName === MODEL_QUEUE)).toEqual([{ queueName: MODEL_QUEUE, message: { retailerId: 'broken' } }]);
  });

  test('a re-run finds nothing to do: every estimated model matches its population', async () => {
    const { records, reestimateChanged } = world();
    records.people('grown', 60);
    await reestimateChanged(NOW);
    records.written = [];
    records.sent = [];
    records.profileReads = [];
    expect(await reestimateChanged(new Date(NOW.getTime() + 86_400_000))).toEqual({ retailers: 1, estimated: 0, queued: 0, failures: [] });
    expect(records.profileReads).toEqual([]);
    expect(records.written).toEqual([]);
    expect(records.sent).toEqual([]);
  });
});

describe('requestEstimateIfStale, the matcher\'s check', () => {
  afterEach(() => jest.restoreAllMocks());

  test('asks once per model: again when the model has been replaced, or after ten minutes if the request was lost; never for a model that fits', async () => {
    const { records, requestEstimateIfStale } = world();
    let now = NOW.getTime();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    await requestEstimateIfStale('shop', PRIOR_MODEL, ESTIMATE_MIN_PEOPLE - 1);
    expect(records.sent).toEqual([]);
    await requestEstimateIfStale('shop', PRIOR_MODEL, ESTIMATE_MIN_PEOPLE);
    await requestEstimateIfStale('shop', PRIOR_MODEL, 80);
    expect(records.sent).toEqual([{ queueName: MODEL_QUEUE, message: { retailerId: 'shop' } }]);
    // Another retailer asks on its own.
    await requestEstimateIfStale('other', PRIOR_MODEL, 80);
    expect(records.sent).toHaveLength(2);
    now += 10 * 60_000 - 1;
    await requestEstimateIfStale('shop', PRIOR_MODEL, 80);
    expect(records.sent).toHaveLength(2);
    now += 1;
    await requestEstimateIfStale('shop', PRIOR_MODEL, 80);
    expect(records.sent).toHaveLength(3);
    const estimated = expectedEstimate(60, PRIOR_MODEL);
    await requestEstimateIfStale('shop', estimated, 70);
    expect(records.sent).toHaveLength(3);
    await requestEstimateIfStale('shop', estimated, 75);
    expect(records.sent).toHaveLength(4);
  });
});
