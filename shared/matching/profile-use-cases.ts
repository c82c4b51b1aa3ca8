import { RiskTierSchema } from '../domain/risk-tiers';
import { z } from 'zod';
import { NotFoundError } from '../domain/errors';
import { decodeToken, encodeToken, pageOf, pageSizeSchema, type PageQuery } from '../domain/paging';
import { EMPTY_FACTS, type PersonFacts } from '../domain/matching/facts';
import { harmOf } from '../domain/matching/harm';
import { blockingKeys } from '../domain/matching/keys';
import { normaliseName } from '../domain/matching/names';
import { keyFrequency, scorePair } from '../domain/matching/score';
import { normalisePlate, PLATE_PATTERN } from '../domain/events/plates';
import { auditFor, authorizeAudited, outsiderAttempt, type AuditOf, type Caller } from '../audit/audited-authorize';
import { multiPersonEvents, openEvents, type MultiPersonEvent } from '../events/event-repository';
import type { RetailEvent } from '../domain/events/event-schema';
import { findProfileAnywhere, profilesByHarm, readProfile, type ProfileDoc } from '../events/profile-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { getSettings } from '../orgs/org-repository';
import { agreementIsActive } from '../sharing/agreement-repository';
import { population, readKey, type MatchKeyDoc } from './matchkey-repository';
import { readModel } from './model-repository';
import type { MatchModel } from '../domain/matching/model';
import type { RetailerSettings } from '../domain/retailer-settings';
import { addToStats, EMPTY_STATS } from './reindex-profile';
import { riskTiersAt } from '../domain/risk-tiers';
import { may } from '../domain/authorization';
import type { HarmStats } from '../domain/matching/harm';

export const ProfileViewSchema = z.object({
  id: z.string(),
  retailerId: z.string(),
  eventIds: z.array(z.string()),
  harm: z.number(),
  harmReasons: z.array(z.object({ factor: z.string(), detail: z.string(), weight: z.number() })),
  riskTiers: z.array(z.object({ name: z.string(), reason: z.string() })).describe("The retailer's risk tiers this person reaches, as of the last re-index, with why"),
  person: z.object({
    names: z.array(z.object({ given: z.string().optional(), family: z.string().optional() })),
    dobs: z.array(z.string()),
    phones: z.array(z.string()),
    plates: z.array(z.string()),
    features: z.array(z.string()),
  }),
  lastOccurredAt: z.string().nullable(),
  history: z
    .array(z.object({ action: z.enum(['merge', 'split']), linkId: z.string(), profileId: z.string(), at: z.string(), by: z.string() }))
    .describe('Merges into this profile and splits out of it, oldest first'),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Profile' });
export type ProfileView = z.infer<typeof ProfileViewSchema>;

export function profileView(doc: ProfileDoc, now: Date): ProfileView {
  const facts = doc.match?.facts ?? EMPTY_FACTS;
  const stats = doc.match?.stats ?? EMPTY_STATS;
  const { harm, reasons } = harmOf(stats, now);
  return {
    id: doc.id,
    retailerId: doc.orgId,
    eventIds: doc.eventIds,
    harm,
    harmReasons: reasons,
    riskTiers: riskTiersAt(doc.riskTiers ?? [], doc.riskTierWindow, now),
    person: { names: facts.names, dobs: facts.dobs, phones: facts.phones, plates: facts.plates, features: facts.features },
    lastOccurredAt: stats.lastOccurredAt,
    history: doc.history ?? [],
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** The view of a profile through its open slice (OpenSlice). */
function openView(doc: ProfileDoc, slice: OpenSlice, now: Date): ProfileView {
  const { harm, reasons } = harmOf(slice.stats, now);
  return { ...profileView(doc, now), eventIds: slice.eventIds, harm, harmReasons: reasons, lastOccurredAt: slice.stats.lastOccurredAt };
}

export const ProfileListQuerySchema = z
  .object({
    sort: z.literal('harm').default('harm'),
    pageSize: pageSizeSchema(25),
    riskTier: RiskTierSchema.shape.name.optional(),
    continuationToken: z.string().max(512).optional(),
  })
  .strict();

/** Where a page of profiles ended: by harm, then id, both descending. */
const ProfileCursorSchema = z.object({ h: z.number(), id: z.string().max(64) }).strict();


/** The person lookup's values: in a body, never a URL (PRODUCT §10c). */
export const ProfileSearchSchema = z
  .object({
    name: z.string().trim().min(2).max(200).optional(),
    plate: z.string().regex(PLATE_PATTERN).optional(),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/).optional(),
    feature: z.string().trim().min(3).max(200).optional(),
  })
  .strict()
  .refine((q) => q.name || q.plate || q.phone || q.feature, { message: 'Give at least one of name, plate, phone, feature.' });

export const SearchHitSchema = z
  .object({
    profileId: z.string(),
    score: z.number(),
    reasons: z.array(z.object({ signal: z.string(), detail: z.string(), weight: z.number() })),
    names: z.array(z.object({ given: z.string().optional(), family: z.string().optional() })),
    events: z.number().int(),
    lastOccurredAt: z.string().nullable(),
    harm: z.number(),
  })
  .meta({ id: 'ProfileSearchHit' });
export type SearchHit = z.infer<typeof SearchHitSchema>;

export interface Group {
  members: string[];
  eventIds: string[];
  totalLoss: number;
}

/**
 * Where a group sorts, as a key in code-point order (paging.ts): most events first, then most loss,
 * then by its first member (profile ids are unique, so the key is too).
 */
export const groupKey = (g: Group): string =>
  `${String(999_999 - Math.min(g.eventIds.length, 999_999)).padStart(6, '0')}|${String(Math.max(0, 1e13 - Math.round(g.totalLoss * 100))).padStart(14, '0')}|${[...g.members].sort()[0] ?? ''}`;

/** What the profile reads read: the repositories in the app, in-memory records in unit tests of this logic. */
export interface ProfileStore {
  /** Refuses (audited) a caller who may not read or search profiles. */
  authorize(caller: Caller, action: 'profile.read' | 'profile.search', target: { type: 'profile' | 'group'; id: string }): Promise<void>;
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  /** A profile by id in any retailer's partition (a partner's, read under an agreement). */
  findProfileAnywhere(id: string): Promise<ProfileDoc | undefined>;
  agreementIsActive(a: string, b: string): Promise<boolean>;
  /** At most `limit` of the retailer's profiles by harm, then id, both descending, after a page's last. */
  profilesByHarm(retailerId: string, limit: number, riskTier?: string, after?: { h: number; id: string }): Promise<ProfileDoc[]>;
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  /** A blocking key's document: its holders, their count, whether it is saturated. */
  readKey(retailerId: string, key: string): Promise<MatchKeyDoc | undefined>;
  population(retailerId: string): Promise<number>;
  readModel(retailerId: string): Promise<MatchModel>;
  multiPersonEvents(retailerId: string): Promise<MultiPersonEvent[]>;
  /** Of `ids`, the retailer's live events that are not sensitive. */
  openEvents(retailerId: string, ids: readonly string[]): Promise<RetailEvent[]>;
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: ProfileStore = {
  authorize: async (caller, action, target) => authorizeAudited(caller, action, await callerOrgType(caller), target),
  readProfile: (retailerId, id) => readProfile(retailerId, id),
  findProfileAnywhere,
  agreementIsActive,
  profilesByHarm,
  getSettings,
  readKey,
  population,
  readModel: (retailerId) => readModel(retailerId),
  multiPersonEvents,
  openEvents,
  audit: auditFor,
};

/**
 * What a reader who may not see sensitive events (a partner's investigator, a Reporter) learns of a
 * profile: its other events only, with the harm figures counted over those (the stored ones count
 * every event). Facts never come from a sensitive event (reindex-profile.ts), so they stand.
 */
interface OpenSlice {
  eventIds: string[];
  stats: HarmStats;
}

/** Profiles and groups as investigators read them (PRODUCT §4, §4b), over a store. */
export function profileUseCases(store: ProfileStore) {
  async function audit(caller: Caller, retailerId: string, action: string, id: string, details: Record<string, string | number | boolean | string[]> = {}) {
    await store.audit(caller, retailerId, { action, target: { type: 'profile', id }, details });
  }

  async function openSlice(doc: ProfileDoc): Promise<OpenSlice> {
    const open = await store.openEvents(doc.orgId, doc.eventIds);
    return { eventIds: open.map((e) => e.id), stats: open.reduce(addToStats, EMPTY_STATS) };
  }

  /**
   * The caller's retailer's profile, or a partner's under an active agreement (read-only, without
   * its sensitive events: a profile known only from those is not there for a partner); anything else 404.
   */
  async function getProfile(caller: Caller, id: string, now = new Date()): Promise<ProfileView> {
    await store.authorize(caller, 'profile.read', { type: 'profile', id });
    const own = caller.principal.orgId ? await store.readProfile(caller.principal.orgId, id) : undefined;
    const elsewhere = own ? undefined : await store.findProfileAnywhere(id);
    const doc = own ?? (elsewhere && (await isPartners(caller.principal.orgId, elsewhere)) ? elsewhere : undefined);
    if (!doc) {
      // Another retailer's person, and no agreement between them: that retailer's chain records the attempt.
      if (elsewhere) await store.audit(caller, elsewhere.orgId, outsiderAttempt('profile.read', { type: 'profile', id }));
      throw new NotFoundError();
    }
    const slice = own ? undefined : await openSlice(doc);
    if (slice && slice.eventIds.length === 0) {
      // Known to its retailer only from sensitive events: a refusal, in the owner's chain like every other.
      await store.audit(caller, doc.orgId, { action: 'profile.read', target: { type: 'profile', id }, outcome: 'denied', details: { relation: 'partner', code: 'NOT_VISIBLE' } });
      throw new NotFoundError();
    }
    await audit(caller, doc.orgId, 'profile.read', id, { relation: own ? 'owner' : 'partner' });
    return slice ? openView(doc, slice, now) : profileView(doc, now);
  }

  async function isPartners(orgId: string | null, doc: ProfileDoc): Promise<boolean> {
    return Boolean(orgId) && doc.orgId !== orgId && (await store.agreementIsActive(orgId!, doc.orgId));
  }

  /** The retailer's people ranked by harm (violence, loss, frequency, recency), with the reasons. */
  async function listProfilesByHarm(
    caller: Caller,
    { pageSize, riskTier, continuationToken }: { pageSize: number; riskTier?: string; continuationToken?: string },
    now = new Date(),
  ): Promise<{ items: ProfileView[]; continuationToken: string | null }> {
    const after = continuationToken ? decodeToken(continuationToken, ProfileCursorSchema) : undefined;
    await store.authorize(caller, 'profile.read', { type: 'profile', id: '*' });
    const retailerId = caller.principal.orgId ?? '';
    const docs = await store.profilesByHarm(retailerId, pageSize + 1, riskTier, after);
    const page = docs.slice(0, pageSize);
    // The query finds the tiers of the last re-index: one that time has taken out of the tier asked for is left out.
    const items = page.map((d) => profileView(d, now)).filter((p) => !riskTier || p.riskTiers.some((t) => t.name === riskTier));
    await audit(caller, retailerId, 'profile.list', '*', { count: items.length, profileIds: items.map((p) => p.id) });
    const last = page.at(-1);
    return { items, continuationToken: docs.length > pageSize && last ? encodeToken({ h: last.harm ?? 0, id: last.id }) : null };
  }

  /**
   * The store worker's person lookup: the query becomes a person's facts, its blocking keys are
   * point-read, and the candidates are ranked with the same scoring that suggests links.
   */
  async function searchProfiles(caller: Caller, q: z.infer<typeof ProfileSearchSchema>, now = new Date()): Promise<SearchHit[]> {
    await store.authorize(caller, 'profile.search', { type: 'profile', id: '*' });
    const retailerId = caller.principal.orgId ?? '';
    const words = (q.name ?? '').split(/\s+/).filter(Boolean);
    const facts: PersonFacts = {
      ...EMPTY_FACTS,
      names: words.length ? [words.length === 1 ? { family: words[0] } : { given: words.slice(0, -1).join(' '), family: words.at(-1) }] : [],
      plates: q.plate ? [normalisePlate(q.plate)] : [],
      phones: q.phone ? [q.phone] : [],
      features: q.feature ? [q.feature] : [],
    };
    const { settings } = await store.getSettings(retailerId);
    const keys = blockingKeys(facts, { imageMatching: false });
    const docs = await Promise.all(keys.map((k) => store.readKey(retailerId, k)));
    const [people, model] = await Promise.all([store.population(retailerId), store.readModel(retailerId)]);
    const counts = new Map(keys.map((k, i) => [k, docs[i]?.count ?? 0]));
    const shared = new Map<string, number>();
    // A saturated key lists its newest holders (a prolific offender's phone or plate), or none (keys.ts).
    for (const doc of docs) if (doc) for (const m of doc.members) shared.set(m, (shared.get(m) ?? 0) + 1);
    const candidates = [...shared.entries()].sort((a, b) => b[1] - a[1]).slice(0, 50);
    const ranked: { doc: ProfileDoc; score: number; reasons: SearchHit['reasons'] }[] = [];
    for (const [profileId] of candidates) {
      const doc = await store.readProfile(retailerId, profileId);
      if (!doc?.match) continue;
      const { score, reasons } = scorePair(facts, doc.match.facts, {
        // No subject profile holds these keys, so count it in as keyFrequency expects.
        frequency: (k) => keyFrequency((counts.get(k) ?? 0) + 1, people),
        imageMatching: settings.connectTheDots.imageMatching,
        model,
        people,
        lookup: true,
      });
      if (score > 0) ranked.push({ doc, score, reasons });
    }
    // At equal scores (a family name alone weighs the same spelt or sounding alike), a name spelt as asked comes first.
    const asked = words.map(normaliseName);
    const spelt = (doc: ProfileDoc) => (doc.match!.facts.names.some((n) => asked.every((w) => `${n.given ?? ''} ${n.family ?? ''}`.split(/\s+/).map(normaliseName).includes(w))) ? 1 : 0);
    ranked.sort((a, b) => b.score - a.score || spelt(b.doc) - spelt(a.doc));
    // A Reporter learns nothing of sensitive events: not their number, nor their share of harm
    // (the shown people's events read, side by side); a person known only from those is not shown.
    const seesSensitive = may(caller.principal, 'event.read.sensitive');
    const hit = async ({ doc, score, reasons }: (typeof ranked)[number]): Promise<SearchHit | undefined> => {
      const slice = seesSensitive ? { eventIds: doc.eventIds, stats: doc.match!.stats } : await openSlice(doc);
      if (slice.eventIds.length === 0) return undefined;
      const { names } = doc.match!.facts;
      return { profileId: doc.id, score: Math.round(score * 100) / 100, reasons, names, events: slice.eventIds.length, lastOccurredAt: slice.stats.lastOccurredAt, harm: harmOf(slice.stats, now).harm };
    };
    const top: SearchHit[] = [];
    // Twenty at a time, in rank order, until twenty are shown or none is left.
    for (let i = 0; i < ranked.length && top.length < 20; i += 20) {
      for (const h of await Promise.all(ranked.slice(i, i + 20).map(hit))) if (h && top.length < 20) top.push(h);
    }
    await audit(caller, retailerId, 'profile.search', '*', { count: top.length, profileIds: top.map((h) => h.profileId) });
    return top;
  }

  /** People who offend together: profiles connected through events they appear in together. */
  /** One page of the groups, largest first; its entry names the people and events shown (§8: entries hold ids, so a read can be traced to a person). */
  async function listGroups(caller: Caller, query: PageQuery = { pageSize: 50 }): Promise<{ items: Group[]; continuationToken: string | null }> {
    await store.authorize(caller, 'profile.read', { type: 'group', id: '*' });
    const retailerId = caller.principal.orgId ?? '';
    const resources = await store.multiPersonEvents(retailerId);
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      const p = parent.get(x) ?? x;
      if (p === x) return x;
      const root = find(p);
      parent.set(x, root);
      return root;
    };
    for (const e of resources) for (const p of e.profileIds.slice(1)) parent.set(find(p), find(e.profileIds[0]!));
    const groups = new Map<string, Group>();
    for (const e of resources) {
      const root = find(e.profileIds[0]!);
      const g = groups.get(root) ?? { members: [], eventIds: [], totalLoss: 0 };
      for (const p of e.profileIds) if (!g.members.includes(p)) g.members.push(p);
      g.eventIds.push(e.id);
      if (!e.prevented) g.totalLoss += (e.products ?? []).reduce((s, p) => s + p.quantity * p.unitValue, 0);
      groups.set(root, g);
    }
    const list = [...groups.values()].map((g) => ({ ...g, totalLoss: Math.round(g.totalLoss * 100) / 100 }));
    const page = pageOf(list, groupKey, query);
    await store.audit(caller, retailerId, {
      action: 'group.list',
      target: { type: 'group', id: '*' },
      details: { count: page.items.length, profileIds: page.items.flatMap((g) => g.members), eventIds: page.items.flatMap((g) => g.eventIds) },
    });
    return page;
  }

  return { getProfile, listProfilesByHarm, searchProfiles, listGroups };
}

export const { getProfile, listProfilesByHarm, searchProfiles, listGroups } = profileUseCases(cosmosRecords);
