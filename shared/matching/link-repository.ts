import { createHash } from 'node:crypto';
import type { Comparison } from '../domain/matching/compare';
import type { Reason } from '../domain/matching/model';
import { writeAudited, type OutboxEntry } from '../audit/audit-outbox-repository';
import { replaceOperation } from '../adapters/cosmos-batch';
import { container, holderOf, readIfExists, deleteIfExists, deleteIfUnchanged, withoutSystemProperties, queryAll, placed, itemOf, inOrganisation } from '../adapters/cosmos-containers';
import { isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';
import { PreconditionFailedError, ServiceUnavailableError } from '../domain/errors';
import { agreementId } from '../domain/sharing';
import type { Cursor } from '../domain/events/event-list';

export type LinkStatus = 'pending' | 'accepted' | 'rejected';

export interface Link {
  id: string;
  status: LinkStatus;
  score: number;
  /** Calibrated chance that the two are one person (absent on suggestions made before it existed). */
  probability?: number;
  /** The comparison vector the score came from: a decision on it is a labelled pair for the model. */
  comparison?: Comparison;
  subject: { eventId: string; personRef: string; profileId: string };
  candidate: { profileId: string; retailerId: string; eventIds: string[] };
  reasons: Reason[];
  createdAt: string;
  decision?: { by: string; at: string; note?: string };
}

type LinkDoc = Link & { orgId: string; docType: 'link'; _etag?: string };

/** Derived from the unordered pair of profiles: a pair is suggested once, and a rejection is remembered by the same id. */
export function linkId(a: { retailerId: string; profileId: string }, b: { retailerId: string; profileId: string }): string {
  const [x, y] = [`${a.retailerId}/${a.profileId}`, `${b.retailerId}/${b.profileId}`].sort();
  const h = createHash('sha256').update(`link:${x}|${y}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The link as the service uses it: no partition key, kind or Cosmos DB property (`_rid`, `_ts`…). */
const strip = (doc: LinkDoc): Link => {
  const { orgId: _o, docType: _d, ...link } = withoutSystemProperties(doc);
  return link;
};

export async function readLink(retailerId: string, id: string): Promise<{ link: Link; etag: string } | undefined> {
  const resource = await readIfExists<LinkDoc>('links', retailerId, id);
  // A kept rejection (RejectionDoc) is no suggestion to read or decide.
  return resource?.docType === 'link' ? { link: strip(resource), etag: resource._etag ?? '' } : undefined;
}

/** Creates a suggestion unless the pair was ever suggested (pending or decided) in this partition. */
export async function createLinkOnce(retailerId: string, link: Link): Promise<boolean> {
  try {
    await container('links').items.create(placed('links', { ...link, orgId: retailerId, docType: 'link' }));
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/**
 * Whether this retailer's matcher is the one to suggest a pair across two retailers (a pair is one
 * suggestion, decided once): not when the partner holds it already; otherwise the side that first
 * creates the pair's claim, a create-only document (`pair@<link id>`, naming its owner) in the
 * partition of the two retailers' pair (`pair:<agreement id>`, neither tenant's own). Both
 * matchers may meet the pair at once, and each would otherwise find the other's suggestion not
 * yet written and write its own. A retry of the owner's attempt finds its own claim; the claim
 * goes with the suggestion (deleteLinks, deleteForeignLinksTo, deleteLink), so a pair whose
 * suggestion went with its data may be suggested again by either side.
 */
export async function claimCrossRetailerPair(retailerId: string, partnerId: string, id: string): Promise<boolean> {
  if (await readIfExists<LinkDoc>('links', partnerId, id)) return false;
  const claim = claimOf(retailerId, partnerId, id);
  try {
    await container('links').items.create(placed('links', { id: claim.id, orgId: claim.orgId, docType: 'link-claim', owner: retailerId }));
    return true;
  } catch (error) {
    if (!isConflict(error)) throw error;
    return (await readIfExists<{ owner: string }>('links', claim.orgId, claim.id))?.owner === retailerId;
  }
}

const claimOf = (a: string, b: string, id: string) => ({ orgId: `pair:${agreementId(a, b)}`, id: `pair@${id}` });

/**
 * Deletes a suggestion; one across retailers (`partnerId` its candidate's retailer) takes its pair's
 * claim with it, first: a run stopped between the two finds the suggestion again next time, never a
 * claim left behind for good.
 */
async function deleteLinkDoc(retailerId: string, id: string, partnerId: string, etag?: string): Promise<boolean> {
  if (partnerId !== retailerId) {
    const claim = claimOf(retailerId, partnerId, id);
    await deleteIfExists('links', claim.orgId, claim.id);
  }
  // With `etag`: only as it was read (false: changed or gone since). One then kept as a rejection
  // has lost its claim, which it does not need: the partner's matcher finds its id here first.
  if (etag) return deleteIfUnchanged('links', { id, orgId: retailerId, _etag: etag });
  await deleteIfExists('links', retailerId, id);
  return true;
}

export async function replaceLink(retailerId: string, link: Link, etag: string, audit?: Omit<OutboxEntry, 'where'>[]): Promise<void> {
  if (audit) {
    // The decision and its audit entries' outbox documents, in one batch (audit-outbox.ts; each key ends in '@' and the link's id, so they share its shard).
    const written = await writeAudited(retailerId, [replaceOperation({ ...link, orgId: retailerId, docType: 'link' }, etag)], audit.map((a) => ({ ...a, where: 'links-audit-outbox' as const })));
    if (!written) throw new PreconditionFailedError('The suggestion was decided meanwhile.');
    return;
  }
  try {
    await itemOf('links', retailerId, link.id).replace(placed('links', { ...link, orgId: retailerId, docType: 'link' }), { accessCondition: { type: 'IfMatch', condition: etag } });
  } catch (error) {
    if (isPreconditionFailed(error)) throw new PreconditionFailedError('The suggestion was decided meanwhile.');
    throw error;
  }
}

export async function listLinks(
  retailerId: string,
  status: LinkStatus,
  pageSize: number,
  after?: Cursor,
  minProbability?: number,
): Promise<{ items: Link[]; next: Cursor | null }> {
  const parameters = [
    { name: '@orgId', value: retailerId },
    { name: '@status', value: status },
    ...(minProbability !== undefined ? [{ name: '@minP', value: minProbability }] : []),
    ...(after ? [{ name: '@t', value: after.t }, { name: '@id', value: after.id }] : []),
  ];
  const query =
    `SELECT TOP ${pageSize + 1} * FROM c WHERE c.orgId = @orgId AND c.docType = 'link' AND c.status = @status` +
    (minProbability !== undefined ? ' AND c.probability >= @minP' : '') +
    (after ? ' AND (c.createdAt < @t OR (c.createdAt = @t AND c.id < @id))' : '') +
    ' ORDER BY c.createdAt DESC, c.id DESC';
  const { resources } = await container('links').items.query<LinkDoc>({ query, parameters }, inOrganisation('links', retailerId)).fetchAll();
  const docs = resources ?? [];
  const page = docs.slice(0, pageSize);
  const last = page.at(-1);
  return { items: page.map(strip), next: docs.length > pageSize && last ? { t: last.createdAt, id: last.id } : null };
}

/** The suggestions, of any status, that involve a profile (on either side), within the partition: for subject access. Kept rejections (RejectionDoc) are not among them. */
export async function linksOfProfile(retailerId: string, profileId: string): Promise<{ link: Link; etag: string }[]> {
  const resources = await queryAll<LinkDoc>('links', retailerId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'link' AND (c.subject.profileId = @p OR c.candidate.profileId = @p)", { orgId: retailerId, p: profileId });
  return resources.map((d) => ({ link: strip(d), etag: d._etag ?? '' }));
}

/**
 * The pending suggestions within the retailer that involve any of `profileIds`, as pairs of
 * profile ids: the review graph around a subject and its candidates, in one query.
 */
export async function pendingPairsAmong(retailerId: string, profileIds: readonly string[]): Promise<[string, string][]> {
  const resources = await queryAll<{ s: string; c: string }>(
    'links',
    retailerId,
    "SELECT c.subject.profileId AS s, c.candidate.profileId AS c FROM c WHERE c.orgId = @orgId AND c.docType = 'link' AND c.status = 'pending' AND c.candidate.retailerId = @orgId AND (ARRAY_CONTAINS(@ids, c.subject.profileId) OR ARRAY_CONTAINS(@ids, c.candidate.profileId))",
    { orgId: retailerId, ids: [...profileIds] },
  );
  return resources.map((r) => [r.s, r.c]);
}

/**
 * What stays of a rejected suggestion once the event it was made from is purged: the pair of
 * profiles (pseudonymous ids, no value, reason or note) under the suggestion's own id, so that the
 * pair is still never suggested again (PRODUCT §4) while one of them lives on in other events. No
 * reader of suggestions sees it; it goes when either profile goes (deleteLinks, deleteForeignLinksTo).
 */
interface RejectionDoc {
  id: string;
  orgId: string;
  docType: 'link-rejection';
  subject: { profileId: string };
  candidate: { profileId: string; retailerId: string };
}

/**
 * Removes the suggestions made from an event, or involving a profile: they go when their person's
 * data goes. With `pendingOnly`, the undecided ones only; and with `profileGoes` too, the rejections
 * kept of the profile's pairs (a split or a correction deletes the profile for good while its
 * decided suggestions stay with their reports).
 */
export async function deleteLinks(retailerId: string, of: { eventId: string } | { profileId: string }, pendingOnly = false, profileGoes = false): Promise<number> {
  const found = await linksOf(retailerId, of, pendingOnly, profileGoes);
  for (const { id, partner } of found) await deleteLinkDoc(retailerId, id, partner);
  return found.length;
}

/**
 * The suggestions made from an event that is purged: a rejected one is kept as a RejectionDoc (with
 * its claim across retailers) while both its profiles are there, the others go; how many. A
 * suggestion decided as this runs is not deleted unseen: the delete is conditional, and one that
 * changed is read again and retired as it now stands.
 */
export async function retireLinksOfEvent(retailerId: string, eventId: string): Promise<number> {
  const found = await linksOf(retailerId, { eventId });
  for (const first of found) {
    let link: LinkOf | undefined = first;
    for (let attempt = 0; link; attempt += 1) {
      // Decided again and again as this runs: the purge stops here (503), and its next run goes on.
      if (attempt === 3) throw new ServiceUnavailableError(`Suggestion ${link.id} keeps changing while its report is purged: try again.`);
      if (link.status === 'rejected' && (await bothProfilesThere(retailerId, link))) {
        await keepRejection(retailerId, { id: link.id, orgId: retailerId, docType: 'link-rejection', subject: { profileId: link.s }, candidate: { profileId: link.p, retailerId: link.partner } });
        break;
      }
      if (await deleteLinkDoc(retailerId, link.id, link.partner, link._etag)) break;
      const now: LinkDoc | undefined = await readIfExists<LinkDoc>('links', retailerId, link.id);
      link = now?.docType === 'link' ? { id: now.id, partner: now.candidate.retailerId, status: now.status, s: now.subject.profileId, p: now.candidate.profileId, _etag: now._etag } : undefined;
    }
  }
  return found.length;
}

type LinkOf = { id: string; partner: string; status?: LinkStatus; s: string; p: string; _etag?: string };

/** Whether both profiles of a pair are there and not being erased (a rejection kept naming a profile gone would outlive it). */
async function bothProfilesThere(retailerId: string, link: LinkOf): Promise<boolean> {
  const [s, p] = await Promise.all([readIfExists<{ erasing?: unknown }>('profiles', retailerId, link.s), readIfExists<{ erasing?: unknown }>('profiles', link.partner, link.p)]);
  return Boolean(s && p && !s.erasing && !p.erasing);
}

const PENDING = "c.docType = 'link' AND c.status = 'pending'";
/** Which documents naming a profile go: all; the pending ones and the kept rejections (the profile goes); the pending ones (it stays). */
const ofProfile = (pendingOnly: boolean, profileGoes: boolean): string => (!pendingOnly ? "c.docType IN ('link', 'link-rejection')" : profileGoes ? `(c.docType = 'link-rejection' OR (${PENDING}))` : PENDING);

/** Suggestions made from an event, or those involving a profile (with the kept rejections unless only the pending are asked for, and the profile stays). */
function linksOf(retailerId: string, of: { eventId: string } | { profileId: string }, pendingOnly = false, profileGoes = false) {
  const kinds = 'eventId' in of ? (pendingOnly ? PENDING : "c.docType = 'link'") : ofProfile(pendingOnly, profileGoes);
  const where = 'eventId' in of ? 'c.subject.eventId = @v' : '(c.subject.profileId = @v OR c.candidate.profileId = @v)';
  return queryAll<LinkOf>(
    'links',
    retailerId,
    `SELECT c.id, c.candidate.retailerId AS partner, c.status, c.subject.profileId AS s, c.candidate.profileId AS p, c._etag FROM c WHERE c.orgId = @orgId AND ${kinds} AND ${where}`,
    { orgId: retailerId, v: 'eventId' in of ? of.eventId : of.profileId },
  );
}

/** Replaces the rejected suggestion by what is kept of it; one gone meanwhile (its profile erased) stays gone. */
async function keepRejection(retailerId: string, doc: RejectionDoc): Promise<void> {
  try {
    await itemOf('links', retailerId, doc.id).replace(placed('links', doc));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * Suggestions and cross-retailer links that other retailers hold about one of this retailer's
 * profiles (it is their candidate), as deleteLinks takes them: erasure removes them too. A query across partitions, by the
 * candidate's ids; erasure is rare and this never runs on a hot path.
 */
export async function deleteForeignLinksTo(retailerId: string, profileId: string, pendingOnly = false, profileGoes = false): Promise<number> {
  const { resources } = await container('links')
    .items.query<{ id: string; orgId: string }>({
      query: `SELECT c.id, c.orgId FROM c WHERE ${ofProfile(pendingOnly, profileGoes)} AND c.candidate.retailerId = @r AND c.candidate.profileId = @p AND c.orgId != @r`,
      parameters: [
        { name: '@r', value: retailerId },
        { name: '@p', value: profileId },
      ],
    })
    .fetchAll();
  for (const { id, orgId } of resources) {
    await deleteLinkDoc(orgId, id, retailerId);
  }
  return resources.length;
}

/** The retailer holding a suggestion of this id, whoever it is (asked on the path of a 404 only). */
export const linkHolder = (id: string): Promise<string | undefined> => holderOf('links', 'link', id);

/** Deletes one suggestion (with its pair's claim when `partnerId`, its candidate's retailer, is another). */
export async function deleteLink(retailerId: string, id: string, partnerId: string): Promise<void> {
  await deleteLinkDoc(retailerId, id, partnerId);
}

/** Decided suggestions that carry their comparison: the labelled pairs the model learns from (newest first, at most `limit`). */
export async function decidedComparisons(retailerId: string, limit = 5000): Promise<{ comparison: Comparison; match: boolean }[]> {
  const resources = await queryAll<{ status: LinkStatus; comparison: Comparison }>('links', retailerId, `SELECT TOP ${limit} c.status, c.comparison FROM c WHERE c.orgId = @orgId AND c.docType = 'link' AND c.status != 'pending' AND IS_DEFINED(c.comparison) AND c.candidate.retailerId = @orgId ORDER BY c.createdAt DESC`, { orgId: retailerId });
  return resources.map((r) => ({ comparison: r.comparison, match: r.status === 'accepted' }));
}
