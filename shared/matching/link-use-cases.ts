import { z } from 'zod';
import { ConflictError, NotFoundError, PreconditionFailedError, ServiceUnavailableError } from '../domain/errors';
import { assertNoSensitiveText } from '../domain/screening';
import { decodeCursor, encodeCursor } from '../domain/events/event-list';
import { pageSizeSchema } from '../domain/paging';
import { auditDraftFor, auditFor, authorizeAudited, outsiderAttempt, type AuditOf, type Caller } from '../audit/audited-authorize';
import { settleAudit } from '../audit/audit-outbox';
import { callerOrgType } from '../orgs/org-use-cases';
import { getSettings } from '../orgs/org-repository';
import { linkHolder, listLinks, readLink, replaceLink, type Link, type LinkStatus } from './link-repository';
import { mergeProfiles } from './merge-profiles';
import { splitsUnderWay } from './merge-record-repository';
import { splitUnfinished, type SplitUnderWay } from '../domain/matching/split-unfinished';
import { exclusively } from './profile-leases';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import { readProfile } from '../events/profile-repository';
import { openEventIds } from '../events/event-repository';
import { agreementIsActive } from '../sharing/agreement-repository';
import { posterior, priorMatchShare, PRIOR_MODEL } from '../domain/matching/model';

const legacyProbability = (score: number): number => Math.round(posterior(score, priorMatchShare(PRIOR_MODEL, 1000)) * 10_000) / 10_000;

/** A link suggestion as the API shows it (GET /links, decisions, subject-access bundles). */
export const LinkViewSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'accepted', 'rejected']),
  score: z.number(),
  probability: z.number().min(0).max(1).describe('Calibrated chance that the two are one person, under the retailer\'s current model when suggested'),
  subject: z.object({ eventId: z.string(), personRef: z.string(), profileId: z.string() }),
  candidate: z.object({ profileId: z.string(), retailerId: z.string(), eventIds: z.array(z.string()) }),
  reasons: z.array(z.object({ signal: z.string(), detail: z.string(), weight: z.number() })),
  createdAt: z.string(),
  decision: z.object({ by: z.string(), at: z.string(), note: z.string().optional() }).optional(),
}).meta({ id: 'LinkSuggestion' });

export const LinkListQuerySchema = z
  .object({
    status: z.enum(['pending', 'accepted', 'rejected']).default('pending'),
    pageSize: pageSizeSchema(25),
    continuationToken: z.string().max(512).optional(),
    minProbability: z.coerce.number().min(0).max(1).optional(),
  })
  .strict();

export const DecisionSchema = z.object({ decision: z.enum(['accept', 'reject']), note: z.string().trim().min(1).max(1000).optional() }).strict();

/**
 * A page of the retailer's suggestions. One across retailers shows the partner's person (its
 * profile, events and the reasons' values), so it is listed only while the two still match across
 * each other (PRODUCT §4, §5: a revoked agreement or either side's opt-out applies at once; the
 * page may then be short), and the partner's chain records the read (§8).
 */
export async function listSuggestions(caller: Caller, q: z.infer<typeof LinkListQuerySchema>) {
  await authorizeAudited(caller, 'link.read', await callerOrgType(caller), { type: 'link', id: '*' });
  const retailerId = caller.principal.orgId!;
  const page = await listLinks(retailerId, q.status as LinkStatus, q.pageSize, q.continuationToken ? decodeCursor(q.continuationToken) : undefined, q.minProbability);
  const partners = new Map<string, Promise<boolean>>();
  const across = (partnerId: string) => partners.get(partnerId) ?? partners.set(partnerId, matchesAcross(retailerId, partnerId)).get(partnerId)!;
  const shown: Link[] = [];
  for (const link of page.items) if (link.candidate.retailerId === retailerId || (await across(link.candidate.retailerId))) shown.push(link);
  await auditFor(caller, retailerId, {
    action: 'link.list',
    target: { type: 'link', id: '*' },
    details: { status: q.status, count: shown.length },
  });
  for (const partnerId of new Set(shown.map((l) => l.candidate.retailerId).filter((r) => r !== retailerId))) {
    const theirs = shown.filter((l) => l.candidate.retailerId === partnerId);
    await auditFor(caller, partnerId, {
      action: 'link.list',
      target: { type: 'link', id: '*' },
      details: { relation: 'partner', linkIds: theirs.map((l) => l.id), profileIds: [...new Set(theirs.map((l) => l.candidate.profileId))] },
    });
  }
  const items = await Promise.all(shown.map((link) => openCandidate(retailerId, link)));
  return { items: items.map(linkView), continuationToken: page.next ? encodeCursor(page.next) : null };
}

/**
 * A suggestion as its retailer's investigators see it: a partner's person with their events
 * read now, without the sensitive ones (PRODUCT §4, §5), which never leave their retailer; an
 * event made sensitive or purged since the suggestion leaves the list too.
 */
async function openCandidate(retailerId: string, link: Link, open: (retailerId: string, ids: readonly string[]) => Promise<string[]> = openEventIds): Promise<Link> {
  if (link.candidate.retailerId === retailerId) return link;
  return { ...link, candidate: { ...link.candidate, eventIds: await open(link.candidate.retailerId, link.candidate.eventIds) } };
}

/** The same for whoever else shows a retailer its suggestions (subject access). */
export const openedCandidate = (retailerId: string, link: Link): Promise<Link> => openCandidate(retailerId, link);

/** Whether two retailers match across each other now (PRODUCT §4): both opted in, with an active agreement (three point reads). */
async function matchesAcross(retailerId: string, partnerId: string): Promise<boolean> {
  const [mine, theirs, active] = await Promise.all([getSettings(retailerId), getSettings(partnerId), agreementIsActive(retailerId, partnerId)]);
  return mine.settings.connectTheDots.crossRetailer && theirs.settings.connectTheDots.crossRetailer && active;
}

export type LinkView = z.infer<typeof LinkViewSchema>;

/** What the API shows of a suggestion: its comparison vector stays inside (the model learns from it). */
export function linkView(link: Link): LinkView {
  const { comparison: _c, ...view } = link;
  // Suggestions made before probabilities existed: the prior's reading of their score.
  return { ...view, probability: link.probability ?? legacyProbability(link.score) };
}

/** What a decision reads and writes: the repositories in the app, in-memory records in unit tests of this logic. */
export interface LinkDecisionStore {
  /** Refuses (audited) a caller who may not decide. */
  authorize(caller: Caller, id: string): Promise<void>;
  readLink(retailerId: string, id: string): Promise<{ link: Link; etag: string } | undefined>;
  profileExists(retailerId: string, profileId: string): Promise<boolean>;
  /** The decided link with its audit entries' outbox documents, if the link is still at `etag` (else 412). */
  replaceLink(retailerId: string, link: Link, etag: string, audit: Omit<OutboxEntry, 'where'>[]): Promise<void>;
  /** Merges the subject's profile into the candidate's; idempotent (a retry finishes a merge begun). */
  merge(retailerId: string, link: Link, by: string, now: Date): Promise<void>;
  /** The suggestions whose merge of one of these profiles has a split started and not finished. */
  splitsUnderWay(retailerId: string, profileIds: readonly string[]): Promise<SplitUnderWay[]>;
  /** Appends the entry an earlier attempt left in the outbox, if any. */
  settleAudit(retailerId: string, key: string): Promise<void>;
  /** Whether the two retailers match across each other now: both opted in, with an active agreement. */
  matchesAcross(retailerId: string, partnerId: string): Promise<boolean>;
  /** Of `ids`, the retailer's live events that are not sensitive. */
  openEventIds(retailerId: string, ids: readonly string[]): Promise<string[]>;
  /** Runs `work` while no other merge, split or erasure changes these profiles (409 PROFILE_BUSY otherwise). */
  exclusively<T>(retailerId: string, profileIds: readonly string[], holder: string, work: () => Promise<T>): Promise<T>;
  /** The retailer holding a suggestion of this id (asked on the path of a 404 only). */
  linkOwner(id: string): Promise<string | undefined>;
  audit(caller: Caller, orgId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: LinkDecisionStore = {
  authorize: async (caller, id) => authorizeAudited(caller, 'link.decide', await callerOrgType(caller), { type: 'link', id }),
  readLink,
  profileExists: async (retailerId, profileId) => (await readProfile(retailerId, profileId)) !== undefined,
  replaceLink,
  splitsUnderWay,
  merge: async (retailerId, link, by, now) => {
    const { settings } = await getSettings(retailerId);
    await mergeProfiles(retailerId, link.subject.profileId, link.candidate.profileId, settings, now, { linkId: link.id, by });
  },
  settleAudit: async (retailerId, key) => void (await settleAudit(retailerId, key, 'links-audit-outbox')),
  matchesAcross,
  openEventIds,
  exclusively,
  linkOwner: linkHolder,
  audit: auditFor,
};

/** Decisions on link suggestions, over a store. */
export function linkDecisions(store: LinkDecisionStore) {
  /**
   * A human's decision. Accepting a pair of one retailer merges the subject's profile into the
   * candidate's; across retailers it records the link (nothing is merged across tenants).
   * Rejecting is remembered: the pair's id stays taken, so it is never suggested again.
   */
  async function decide(caller: Caller, id: string, decision: z.infer<typeof DecisionSchema>, now = new Date()): Promise<LinkView> {
    await store.authorize(caller, id);
    const retailerId = caller.principal.orgId!;
    const first = await store.readLink(retailerId, id);
    if (!first) {
      // Another retailer's suggestion: 404, and the attempt in that retailer's chain.
      const owner = await store.linkOwner(id);
      if (owner && owner !== retailerId) await store.audit(caller, owner, outsiderAttempt('link.decide', { type: 'link', id }));
      throw new NotFoundError();
    }
    const { subject, candidate } = first.link;
    // A merge changes both profiles one document at a time: no other merge, split or erasure of either meanwhile.
    if (decision.decision === 'accept' && candidate.retailerId === retailerId) {
      return store.exclusively(retailerId, [subject.profileId, candidate.profileId], `merge:${id}`, () => decideOn(caller, retailerId, id, decision, now));
    }
    return decideOn(caller, retailerId, id, decision, now, first);
  }

  async function decideOn(caller: Caller, retailerId: string, id: string, decision: z.infer<typeof DecisionSchema>, now: Date, read?: { link: Link; etag: string }, attempt = 0): Promise<LinkView> {
    const found = read ?? (await store.readLink(retailerId, id));
    if (!found) throw new NotFoundError();
    const status: LinkStatus = decision.decision === 'accept' ? 'accepted' : 'rejected';
    const { link } = found;
    const sameRetailer = link.candidate.retailerId === retailerId;
    const merging = decision.decision === 'accept' && sameRetailer;
    const key = `link.${decision.decision}@${id}`;
    // A decision on a partner's person is in the partner's chain too: its entry rides in the same batch, for that chain.
    const partnerKey = `link.${decision.decision}.partner@${id}`;
    // Not while a split of a merge of either profile is stopped part-way: a merge then (or this merge run
    // again) would change what the split is restoring, and could leave it unable to finish for good.
    const unfinished = merging ? await store.splitsUnderWay(retailerId, [link.subject.profileId, link.candidate.profileId]) : [];
    if (unfinished.length) throw splitUnfinished(unfinished, 'accept');
    // Screened whatever the decision finds: a retry, or a request that lost the race to the same decision, is answered 200 only for a note it could have stored.
    if (decision.note) assertNoSensitiveText([{ path: 'note', text: decision.note }]);
    if (link.status === status) {
      // The same decision again (a client's retry after a fault or a crash): finish what the first left undone, and answer as it would have.
      if (merging) await mergeAgain(retailerId, link, link.decision?.by ?? caller.principal.sub, now);
      await store.settleAudit(retailerId, key);
      if (!sameRetailer) await store.settleAudit(retailerId, partnerKey);
      return linkView(await openCandidate(retailerId, link, store.openEventIds));
    }
    if (link.status !== 'pending') throw new ConflictError('ALREADY_DECIDED', `This suggestion was already ${link.status}.`);
    // Across retailers, a link is recorded only while the two match across each other (PRODUCT §4, §5): a rejection stands whatever.
    if (!sameRetailer && decision.decision === 'accept' && !(await store.matchesAcross(retailerId, link.candidate.retailerId))) {
      throw new ConflictError('AGREEMENT_NOT_ACTIVE', 'The retailers no longer match across each other (agreement revoked or Connect the Dots across retailers turned off): a link across them cannot be accepted.');
    }
    if (merging) {
      const [subject, candidate] = await Promise.all([store.profileExists(retailerId, link.subject.profileId), store.profileExists(retailerId, link.candidate.profileId)]);
      if (!subject || !candidate) throw new ConflictError('STALE_SUGGESTION', 'One of the profiles no longer exists (merged or erased).');
    }
    const decided: Link = {
      ...link,
      status,
      decision: { by: caller.principal.sub, at: now.toISOString(), ...(decision.note ? { note: decision.note } : {}) },
    };
    const entry = {
      key,
      draft: auditDraftFor(caller, {
        action: `link.${decision.decision}`,
        target: { type: 'link', id },
        details: { subjectProfileId: link.subject.profileId, candidateProfileId: link.candidate.profileId, candidateRetailerId: link.candidate.retailerId, merged: merging },
      }),
    };
    const partnerEntry = {
      key: partnerKey,
      chain: link.candidate.retailerId,
      draft: auditDraftFor(caller, {
        action: `link.${decision.decision}`,
        target: { type: 'link', id },
        details: { relation: 'partner', candidateProfileId: link.candidate.profileId, subjectRetailerId: retailerId },
      }),
    };
    // The decision and its audit entries together; the merge after (each step idempotent: a retry of this decision finishes it).
    try {
      await store.replaceLink(retailerId, decided, found.etag, sameRetailer ? [entry] : [entry, partnerEntry]);
    } catch (error) {
      // Decided by another request meanwhile (decisions carry no If-Match): answered as it now stands,
      // the same decision as a retry of it, another as 409 ALREADY_DECIDED.
      if (!(error instanceof PreconditionFailedError)) throw error;
      // Changing under every attempt: a transient 503, never a 412 to a request that sent no precondition.
      if (attempt >= 3) throw new ServiceUnavailableError('The suggestion keeps changing; try again.');
      return decideOn(caller, retailerId, id, decision, now, undefined, attempt + 1);
    }
    if (merging) await store.merge(retailerId, link, caller.principal.sub, now);
    // A client's retry, or a request that lost the race to the same decision, may settle the entries
    // alongside this one (the retry's path above): both settle the one way that appends once (a claim,
    // and the chain asked).
    await store.settleAudit(retailerId, key);
    if (!sameRetailer) await store.settleAudit(retailerId, partnerKey);
    return linkView(await openCandidate(retailerId, decided, store.openEventIds));
  }

  /**
   * A merge whose decision's request stopped part-way (the audit outbox sweep, once the decision's
   * entry is overdue, so no request is still at it), finished as a retry of the decision would,
   * under the same leases: otherwise the folded profile stays, holding what the merge had not yet
   * moved, until someone accepts again. Not while a split of a merge of either profile is stopped
   * part-way (409 SPLIT_UNFINISHED, as for the retry: the sweep finishes that split, and this merge
   * on a later run), nor once the merge has been split (the suggestion is then rejected). Whether
   * the folded profile was still there to fold.
   */
  async function finishStoppedMerge(retailerId: string, id: string, now: Date): Promise<boolean> {
    const first = await store.readLink(retailerId, id);
    if (first?.link.status !== 'accepted' || first.link.candidate.retailerId !== retailerId) return false;
    const profiles = [first.link.subject.profileId, first.link.candidate.profileId];
    return store.exclusively(retailerId, profiles, `merge:${id}`, async () => {
      // Read again under the leases: a split may have rejected it meanwhile.
      const found = await store.readLink(retailerId, id);
      if (found?.link.status !== 'accepted') return false;
      const unfinished = await store.splitsUnderWay(retailerId, profiles);
      if (unfinished.length) throw splitUnfinished(unfinished, 'accept');
      return mergeAgain(retailerId, found.link, found.link.decision?.by ?? 'system', now);
    });
  }

  /**
   * Runs the merge of an accepted suggestion again, to finish it: whether the folded profile was
   * still there. Refused (409 STALE_SUGGESTION) while the folded profile is there but the one it
   * goes into is not (erased, being erased, or merged into another since the merge stopped):
   * finishing it would bring that id back, holding the reports not yet moved.
   */
  async function mergeAgain(retailerId: string, link: Link, by: string, now: Date): Promise<boolean> {
    const [folding, into] = await Promise.all([store.profileExists(retailerId, link.subject.profileId), store.profileExists(retailerId, link.candidate.profileId)]);
    if (folding && !into) {
      throw new ConflictError('STALE_SUGGESTION', `Profile ${link.candidate.profileId}, which this merge goes into, went (erased, or merged into another) since the merge stopped: profile ${link.subject.profileId} keeps the reports it had not yet moved.`);
    }
    await store.merge(retailerId, link, by, now);
    return folding;
  }

  return { decide, finishStoppedMerge };
}

export const { decide, finishStoppedMerge } = linkDecisions(cosmosRecords);
