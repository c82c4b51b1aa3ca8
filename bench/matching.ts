import { randomUUID } from 'node:crypto';
import { createManyOnce, MAX_BATCH_OPERATIONS } from '../shared/adapters/cosmos-batch';
import type { ContainerName } from '../shared/adapters/cosmos-containers';
import { cosmosRoundTrips } from '../shared/adapters/counting-agent';
import { buildEvent, profileIdsOf } from '../shared/domain/events/event-rules';
import { EventInputSchema } from '../shared/domain/events/event-schema';
import { EMPTY_FACTS, factsOfPerson, mergeFacts, type PersonFacts } from '../shared/domain/matching/facts';
import { blockingKeys, MAX_KEY_MEMBERS } from '../shared/domain/matching/keys';
import { estimateModel } from '../shared/domain/matching/estimate';
import type { MatchModel } from '../shared/domain/matching/model';
import { writeModel } from '../shared/matching/model-repository';
import { generateSynthetic, type SyntheticDataset } from '../eval/generators/daybreak/generator';
import { insertEvent } from '../shared/events/event-repository';
import { addEvent, updateMembership } from '../shared/events/profile-repository';
import { matchEvent } from '../shared/matching/match-event';
import { matchKeyDocId, POPULATION_ID } from '../shared/matching/matchkey-repository';
import { EMPTY_STATS } from '../shared/matching/reindex-profile';
import { processIdle, hostPid, queuesIdle } from './host-process';
import { row, type Row } from './measure';
import type { BenchContext } from './run';

const IN_FLIGHT = 4;
const WARM_UP = 3;

/**
 * Connect the Dots: the matcher's time for one new event when the retailer already holds 1,000
 * people, and when it holds 50,000 (200 and 1,000 with --quick, which only checks that it runs).
 * Two retailers are seeded with the people of one synthetic population (profiles with their
 * facts and blocking keys, written straight into Cosmos DB in transactional batches, as matching
 * would have left them): the first 1,000 people in one, all of them in the other. The same new events (the latest sighting of people among
 * the first 1,000, held out of the seed) are then stored in both, as intake stores them, and
 * `matchEvent` — the queue function's whole work: re-index the person, point-read their keys,
 * score the candidates, record suggestions — is timed in this process, alternating between
 * the two retailers so drift on a busy machine hits both alike. Also counted: Cosmos round
 * trips per event (cost must follow the work, not the store's size) and candidates scored.
 */
export async function benchMatching(ctx: BenchContext): Promise<Row[]> {
  const small = ctx.quick ? 200 : 1000;
  const large = ctx.quick ? 1000 : 50_000;
  const probeCount = ctx.quick ? 10 : 60;
  const ds = generateSynthetic({ seed: 23, identities: large });
  const probes = pickProbes(ds, small, probeCount + WARM_UP);
  const few = (await ctx.retailer()).org;
  const many = (await ctx.retailer()).org;
  const seedStarted = performance.now();
  // The estimation (timed on its own below) also gives each retailer the model the service would
  // have for it, so the matcher finds it current and asks for no estimate while it is timed.
  const estimation = benchEstimation(ds, probes, large);
  await writeModel(many, estimation.model);
  await writeModel(few, estimateModel({ profiles: [...profileFacts(ds, probes, small).values()], seed: 1 }));
  const seeded = (await seed(few, ds, probes, small)) + (await seed(many, ds, probes, large));
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  // Earlier benchmarks leave queue work (matching) running in the host; measure with it idle.
  await queuesIdle();
  const host = hostPid();
  if (host !== undefined) await processIdle(host);

  const runs = { [few]: newTally(), [many]: newTally() };
  for (const [i, probe] of probes.entries()) {
    for (const org of i % 2 === 0 ? [few, many] : [many, few]) {
      const outcome = await matchNewEvent(org, probe.body);
      if (i >= WARM_UP) add(runs[org]!, outcome);
    }
  }
  const a = summary(runs[few]!);
  const b = summary(runs[many]!);
  return [
    ...estimation.rows,
    row(`matching ms per new event, ${small} people stored (mean of ${a.n})`, a.meanMs, 'ms'),
    row(`matching ms per new event, ${large} people stored (mean of ${b.n})`, b.meanMs, 'ms', a.meanMs, '<= 1.5'),
    row(`matching p95 ms, ${small} people stored`, a.p95Ms, 'ms'),
    row(`matching p95 ms, ${large} people stored`, b.p95Ms, 'ms', a.p95Ms),
    row(`matching Cosmos round trips per event, ${small} people`, a.roundTrips, 'round trips'),
    row(`matching Cosmos round trips per event, ${large} people`, b.roundTrips, 'round trips', a.roundTrips),
    row(`matching candidates scored per event, ${small} people`, a.candidates, 'candidates'),
    row(`matching candidates scored per event, ${large} people`, b.candidates, 'candidates', a.candidates),
    row(`matching suggestions per event, ${large} people`, b.suggestions, 'suggestions', a.suggestions),
    row('matching seed documents/s (bulk creates of 100)', seeded / seedSeconds, 'docs/s'),
  ];
}

type Probe = SyntheticDataset['events'][number];

/** The first `people` identities as profiles would hold them (the probe events left out): facts and event ids per identity. */
function profileFacts(ds: SyntheticDataset, probes: Probe[], people: number): Map<string, { facts: PersonFacts; eventIds: string[] }> {
  const held = new Set(probes.map((p) => p.id));
  const bodies = new Map(ds.events.map((e) => [e.id, e.body]));
  const wanted = new Set(ds.identities.slice(0, people).map((i) => i.id));
  const facts = new Map<string, { facts: PersonFacts; eventIds: string[] }>();
  for (const m of ds.mentions) {
    if (!wanted.has(m.truthId) || held.has(m.eventId)) continue;
    const body = bodies.get(m.eventId)!;
    const person = body.people!.find((p) => p.ref === m.ref)!;
    const known = facts.get(m.truthId) ?? { facts: EMPTY_FACTS, eventIds: [] };
    facts.set(m.truthId, { facts: mergeFacts(known.facts, factsOfPerson({ ...body, id: m.eventId }, person)), eventIds: [...known.eventIds, m.eventId] });
  }
  return facts;
}

/**
 * The model estimation for the retailer of `people` (the pure work of the estimation job, once its
 * profiles are read): CPU seconds, and how much it raised the process's peak resident memory.
 */
function benchEstimation(ds: SyntheticDataset, probes: Probe[], people: number): { rows: Row[]; model: MatchModel } {
  const profiles = [...profileFacts(ds, probes, people).values()].map((p) => ({ facts: p.facts }));
  // The estimation is synchronous: the process's peak resident memory before and after it is what it adds.
  const peakBefore = process.resourceUsage().maxRSS;
  const cpu = process.cpuUsage();
  const model = estimateModel({ profiles, seed: 1 });
  const used = process.cpuUsage(cpu);
  const peakGrowth = (process.resourceUsage().maxRSS - peakBefore) / 1024;
  const rows = [
    row(`matching model estimation CPU s, ${profiles.length} people (${model.pairs.candidates} candidate pairs, ${model.iterations} EM rounds)`, (used.user + used.system) / 1e6, 's', null, '< 60'),
    row(`matching model estimation peak memory growth, ${profiles.length} people`, peakGrowth, 'MiB'),
  ];
  return { rows, model };
}

/** The latest event of each of the first `within` identities seen more than once, up to `count` events. */
function pickProbes(ds: SyntheticDataset, within: number, count: number): Probe[] {
  const seen = new Map<string, string[]>();
  for (const m of ds.mentions) seen.set(m.truthId, [...(seen.get(m.truthId) ?? []), m.eventId]);
  const byId = new Map(ds.events.map((e) => [e.id, e]));
  const picked = new Set<string>();
  for (const identity of ds.identities.slice(0, within)) {
    const events = seen.get(identity.id) ?? [];
    if (events.length >= 2) picked.add(events.at(-1)!);
    if (picked.size >= count) break;
  }
  return [...picked].map((id) => byId.get(id)!);
}

/** Seeds the first `people` identities as profiles with keys, leaving out the probe events. Returns documents written. */
async function seed(org: string, ds: SyntheticDataset, probes: Probe[], people: number): Promise<number> {
  const facts = profileFacts(ds, probes, people);
  const at = new Date().toISOString();
  const profiles: { id: string; [field: string]: unknown }[] = [];
  const members = new Map<string, string[]>();
  for (const [truthId, known] of facts) {
    const id = `seed-${truthId}`;
    const keys = blockingKeys(known.facts, { imageMatching: false });
    for (const k of keys) members.set(k, [...(members.get(k) ?? []), id]);
    profiles.push({
      id,
      orgId: org,
      docType: 'profile',
      eventIds: known.eventIds,
      createdAt: at,
      updatedAt: at,
      match: { facts: known.facts, keys, stats: { ...EMPTY_STATS, events: known.eventIds.length }, indexedEvents: known.eventIds },
      harm: 0,
    });
  }
  const keyDocs = [...members].map(([key, ids]) => {
    const saturated = ids.length > MAX_KEY_MEMBERS;
    return { id: matchKeyDocId(key), orgId: org, docType: 'matchkey', members: saturated ? [] : ids, count: ids.length, saturated };
  });
  keyDocs.push({ id: POPULATION_ID, orgId: org, docType: 'population', members: [], count: profiles.length, saturated: false });
  await writeAll('profiles', org, profiles);
  await writeAll('matchkeys', org, keyDocs);
  return profiles.length + keyDocs.length;
}

/** Pages of 100 in bulk (not batches: a sharded container's documents span partitions). */
async function writeAll(name: ContainerName, org: string, docs: { id: string }[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < docs.length) {
        const page = docs.slice(next, (next += MAX_BATCH_OPERATIONS));
        await createManyOnce(name, org, page);
      }
    }),
  );
}

interface Outcome {
  ms: number;
  roundTrips: number;
  candidates: number;
  suggestions: number;
}

/** Stores the event as intake does (profiles, then the event), then times the matcher on it. */
async function matchNewEvent(org: string, body: Probe['body']): Promise<Outcome> {
  const now = new Date();
  const event = buildEvent(randomUUID(), org, EventInputSchema.parse(body), 'bench', now);
  await Promise.all(profileIdsOf(event).map((id) => updateMembership(org, id, addEvent(event.id), now, true, true)));
  await insertEvent(event, 'NZ-AKL');
  const trips = cosmosRoundTrips.total;
  const started = performance.now();
  const result = await matchEvent(org, event.id, now);
  return { ms: performance.now() - started, roundTrips: cosmosRoundTrips.total - trips, candidates: result.candidates, suggestions: result.suggestions };
}

const newTally = (): Outcome[] => [];
const add = (tally: Outcome[], o: Outcome): void => void tally.push(o);

function summary(tally: Outcome[]) {
  const n = tally.length;
  const mean = (pick: (o: Outcome) => number) => tally.reduce((s, o) => s + pick(o), 0) / n;
  const sorted = tally.map((o) => o.ms).sort((x, y) => x - y);
  return {
    n,
    meanMs: mean((o) => o.ms),
    p95Ms: sorted[Math.min(n - 1, Math.floor(0.95 * n))]!,
    roundTrips: mean((o) => o.roundTrips),
    candidates: mean((o) => o.candidates),
    suggestions: mean((o) => o.suggestions),
  };
}
