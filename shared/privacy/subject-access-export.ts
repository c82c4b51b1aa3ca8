import { z } from 'zod';
import { AuditEntrySchema, type AuditEntry } from '../domain/audit-chain';
import { EventSchema, type RetailEvent } from '../domain/events/event-schema';
import { EvidenceSchema, type Evidence } from '../domain/evidence/evidence-schema';
import { fieldsOf, type SubjectAccessRequest } from '../domain/privacy/subject-access';
import { MAX_EVENT_MENTIONS, readEntriesAboutPeople } from '../audit/audit-entry-repository';
import { auditFor, authorizeAudited, type AuditOf, type Caller } from '../audit/audited-authorize';
import { readEvent, sensitiveEvents, type VersionedEvent } from '../events/event-repository';
import { profileIdsHoldingKey, readProfile } from '../events/profile-repository';
import { evidenceOfEvent, toEvidence, toSummary, type EvidenceDoc } from '../evidence/evidence-repository';
import { linksOfProfile, type Link } from '../matching/link-repository';
import { LinkViewSchema, linkView, openedCandidate, type LinkView } from '../matching/link-use-cases';
import { readKey } from '../matching/matchkey-repository';
import { profileView, ProfileViewSchema } from '../matching/profile-use-cases';
import { callerOrgType } from '../orgs/org-use-cases';
import { findSubjects, type SubjectsStore } from './find-subjects';
import { pendingMatchCount } from '../matching/match-pending-repository';
import { MAX_MATCH_RESENDS } from '../matching/match-pending-sweep';
import { normalisePlate } from '../domain/events/plates';
import { canonicalPlate, plateIndexId } from '../domain/lpr/plate-index';
import { readPlateIndexes } from '../lpr/plate-index-repository';

/** Audit entries one bundle carries, at most (the chain itself is exported in full by /audit/export). */
export const MAX_AUDIT_ENTRIES = 5000;

export const SubjectAccessBundleSchema = z.object({
  /** The request as received: echoed to the caller only (the audit entry names the fields given, never their values). */
  request: z.object({ name: z.string().optional(), dateOfBirth: z.string().optional(), plate: z.string().optional(), phone: z.string().optional() }),
  retailerId: z.string(),
  generatedAt: z.string(),
  /** false when something may be missing; `notes` says what (a very common value, too many people or entries). */
  complete: z.boolean(),
  notes: z.array(z.string()),
  /** The matching people, as GET /profiles/{id} shows them. */
  profiles: z.array(ProfileViewSchema),
  /**
   * Every event of those people, as GET /events/{id} shows it (with its evidence summaries),
   * oldest first, with only those people in `people`: the others of an event (a co-offender, a
   * witness) are someone else's data and are left out (`notes` says how many). Free text is as
   * written: review it before disclosing.
   */
  events: z.array(EventSchema),
  /** Metadata of the evidence of those events, with the SHA-256 of the stored bytes; no download URL. */
  evidence: z.array(EvidenceSchema),
  /** Link suggestions and decisions involving those people; a reason's detail is withheld where the other side is not one of them (it shows that profile's values). */
  links: z.array(LinkViewSchema),
  /** Audit entries about those people, their events and evidence, in seq order. */
  auditEntries: z.array(AuditEntrySchema),
});
export type SubjectAccessBundle = z.infer<typeof SubjectAccessBundleSchema>;

/** What a subject-access export reads: the repositories in the app, in-memory records in unit tests of this logic. */
export interface SubjectAccessStore extends SubjectsStore {
  /** Refuses (audited) a caller who may not export a subject's data. */
  authorize(caller: Caller): Promise<void>;
  readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined>;
  evidenceOfEvent(retailerId: string, eventId: string): Promise<EvidenceDoc[]>;
  linksOfProfile(retailerId: string, profileId: string): Promise<{ link: Link }[]>;
  /**
   * The chain's entries about these targets and people, in seq order, at most `limit`, and whether
   * there are more: the target is one of theirs, or the details name one of the people or (a list's,
   * an enquiry's or a case file's details.eventIds) one of their events.
   */
  readEntriesAboutPeople(retailerId: string, targetIds: string[], profileIds: string[], limit: number, eventIds: string[]): Promise<{ entries: AuditEntry[]; more: boolean }>;
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
  /** How many of the retailer's reports the matcher has not indexed yet (their people are not findable until it has). */
  pendingMatchCount(retailerId: string): Promise<number>;
  /** The retailer's events recording this exact (normalised) plate with no person in them (the plate index; one point read); `more`: the index kept only the newest. */
  personlessEventsWithPlate(retailerId: string, plate: string): Promise<{ eventIds: string[]; more: boolean }>;
}

const cosmosRecords: SubjectAccessStore = {
  authorize: async (caller) => authorizeAudited(caller, 'subject-access.export', await callerOrgType(caller), { type: 'subject-access', id: caller.requestId }),
  readKey,
  profileIdsHoldingKey,
  readProfile: (retailerId, id) => readProfile(retailerId, id),
  sensitiveEvents,
  readEvent,
  evidenceOfEvent,
  // A partner's person in a suggestion, with their events read now: never a sensitive one (PRODUCT §5).
  linksOfProfile: async (retailerId, profileId) =>
    Promise.all((await linksOfProfile(retailerId, profileId)).map(async (found) => ({ ...found, link: await openedCandidate(retailerId, found.link) }))),
  readEntriesAboutPeople,
  audit: auditFor,
  pendingMatchCount: (retailerId) => pendingMatchCount(retailerId, MAX_MATCH_RESENDS),
  personlessEventsWithPlate: async (retailerId, plate) => {
    const indexId = plateIndexId(canonicalPlate(plate));
    const doc = (await readPlateIndexes(retailerId, [indexId])).get(indexId);
    return { eventIds: [...new Set((doc?.entries ?? []).filter((e) => e.plate === plate && e.profileIds.length === 0).map((e) => e.eventId))], more: doc?.truncated === true };
  },
};

/**
 * POST /subject-access: everything the caller's retailer holds about the person the request
 * describes (shared/privacy/find-subjects.ts says how people are found). Only the retailer's
 * own data. The export is audited with the ids it returned, never the values searched for.
 */
export function subjectAccess(store: SubjectAccessStore) {
  return async function exportSubjectAccess(caller: Caller, req: SubjectAccessRequest, now = new Date()): Promise<SubjectAccessBundle> {
    await store.authorize(caller);
    const retailerId = caller.principal.orgId!;
    // People are found through what the matcher indexed: reports it has not reached yet may hold them too.
    const pending = await store.pendingMatchCount(retailerId);
    const found = await findSubjects(store, retailerId, req);
    const notes = [...found.notes];
    let complete = found.complete;
    if (pending > 0) {
      complete = false;
      notes.push(`${pending} report${pending === 1 ? ' is' : 's are'} still being indexed, and people in ${pending === 1 ? 'it' : 'them'} may be missing here: ask again in a moment.`);
    }

    // An event whose only personal value is the plate asked for (a drive-off, nobody seen) is about the subject too.
    const plateOnly = req.plate ? await store.personlessEventsWithPlate(retailerId, normalisePlate(req.plate)) : { eventIds: [], more: false };
    if (plateOnly.more) {
      complete = false;
      notes.push('The plate is on more events than its index keeps: the oldest events with it and nobody in them may be missing here; the audit export and the events list hold them.');
    }
    const eventIds = [...new Set([...found.profiles.flatMap((p) => p.eventIds), ...plateOnly.eventIds])];
    const theirs = new Set(found.profiles.map((p) => p.id));
    const events: RetailEvent[] = [];
    const evidence: Evidence[] = [];
    let others = 0;
    for (const id of eventIds) {
      const e = await store.readEvent(retailerId, id);
      if (!e || e.purging) continue;
      const docs = await store.evidenceOfEvent(retailerId, id);
      const people = e.event.people.filter((p) => theirs.has(p.profileId));
      others += e.event.people.length - people.length;
      events.push({ ...e.event, people, evidence: docs.map(toSummary) });
      evidence.push(...docs.map(toEvidence));
    }
    if (others > 0) notes.push(`${others} other ${others === 1 ? 'person' : 'people'} of these events, not the subject of the request, ${others === 1 ? 'is' : 'are'} left out of them.`);
    events.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.id.localeCompare(b.id));

    const links = new Map<string, Link>();
    for (const p of found.profiles) for (const { link } of await store.linksOfProfile(retailerId, p.id)) links.set(link.id, link);

    const profileIds = found.profiles.map((p) => p.id);
    const audit = profileIds.length || events.length
      ? await store.readEntriesAboutPeople(retailerId, [...profileIds, ...events.map((e) => e.id), ...evidence.map((e) => e.id)], profileIds, MAX_AUDIT_ENTRIES, events.map((e) => e.id))
      : { entries: [], more: false };
    if (events.length > MAX_EVENT_MENTIONS) {
      complete = false;
      notes.push(`Lists, enquiries and case files that named these events are looked for among the first ${MAX_EVENT_MENTIONS} of their ${events.length} events; the audit export holds every entry.`);
    }
    if (audit.more) {
      complete = false;
      notes.push(`More than ${MAX_AUDIT_ENTRIES} audit entries concern these people; the oldest ${MAX_AUDIT_ENTRIES} are here, the rest are in the audit export.`);
    }

    const bundle: SubjectAccessBundle = {
      request: req,
      retailerId,
      generatedAt: now.toISOString(),
      complete,
      notes,
      profiles: found.profiles.map((p) => profileView(p, now)),
      events,
      evidence,
      links: [...links.values()].map((link) => withheldBeyond(theirs, linkView(link))),
      auditEntries: audit.entries,
    };
    await store.audit(caller, retailerId, {
      action: 'subject-access.export',
      target: { type: 'subject-access', id: caller.requestId },
      details: {
        fields: fieldsOf(req),
        profileIds: profileIds.slice(0, 100),
        profiles: profileIds.length,
        eventIds: events.slice(0, 100).map((e) => e.id),
        events: events.length,
        evidence: evidence.length,
        auditEntries: audit.entries.length,
        complete,
      },
    });
    return bundle;
  };
}

export const exportSubjectAccess = subjectAccess(cosmosRecords);

/** A suggestion's reasons compare both sides' values: where one side is not among the subject's profiles, its details are withheld. */
function withheldBeyond(theirs: ReadonlySet<string>, link: LinkView): LinkView {
  if (theirs.has(link.subject.profileId) && theirs.has(link.candidate.profileId)) return link;
  return { ...link, reasons: link.reasons.map((r) => ({ ...r, detail: 'withheld: it shows the values of a profile that is not the subject of this request' })) };
}
