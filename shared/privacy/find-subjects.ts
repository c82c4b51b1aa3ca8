import { factsMatch, keysByField, type SubjectAccessRequest, type SubjectField } from '../domain/privacy/subject-access';
import type { RetailEvent } from '../domain/events/event-schema';
import { factsOfPerson } from '../domain/matching/facts';
import { keyKind } from '../domain/matching/keys';
import type { ProfileDoc } from '../events/profile-repository';
import type { MatchKeyDoc } from '../matching/matchkey-repository';

/** What finding a request's people reads: the repositories in the app, in-memory records in unit tests of this logic. */
export interface SubjectsStore {
  /** One blocking key's document (its members; once saturated, its count and at most its newest members, never all). */
  readKey(retailerId: string, key: string): Promise<MatchKeyDoc | undefined>;
  /** Profiles listing the key among their own, at most `limit`. */
  profileIdsHoldingKey(retailerId: string, key: string, limit: number): Promise<string[]>;
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  /** The retailer's sensitive events (their people are never indexed for matching). */
  sensitiveEvents(retailerId: string): AsyncIterable<RetailEvent>;
}

/** Profiles read from one saturated key's fallback query, at most. */
export const FALLBACK_LIMIT = 500;
/** People one bundle holds, at most. */
export const MAX_SUBJECTS = 100;

export interface FoundSubjects {
  profiles: ProfileDoc[];
  complete: boolean;
  notes: string[];
}

/**
 * The profiles of the retailer that are the person a subject-access request describes. No scan:
 *  - candidates come from Connect the Dots' own blocking keys, point-read per key (name keys,
 *    date of birth, phone, plate). Every given field must match, so one field whose keys are all
 *    unsaturated yields every possible match: its members are the candidates (the smallest such
 *    field's). Only when every field has a saturated key (a value shared by more than
 *    MAX_KEY_MEMBERS profiles lists at most its newest holders, not all) do the profiles holding that key come from a
 *    query in the retailer's partition on the profiles' own key lists, at most FALLBACK_LIMIT
 *    (beyond that the bundle says it is incomplete);
 *  - each candidate is then confirmed against the request (findSubjects is exact, not ranked);
 *  - people of sensitive events are never indexed for matching, by design, so those events are
 *    read with one query in the partition (sensitive events only) and their people confirmed
 *    the same way.
 */
export async function findSubjects(store: SubjectsStore, retailerId: string, req: SubjectAccessRequest): Promise<FoundSubjects> {
  const notes: string[] = [];
  let complete = true;
  const byField = Object.entries(keysByField(req)) as [SubjectField, string[]][];
  const keys = [...new Set(byField.flatMap(([, k]) => k))];
  const docs = new Map(await Promise.all(keys.map(async (k) => [k, await store.readKey(retailerId, k)] as const)));
  const membersOf = (fieldKeys: string[]) => new Set(fieldKeys.flatMap((k) => docs.get(k)?.members ?? []));

  const covering = byField
    .filter(([, k]) => k.length > 0 && k.every((key) => !docs.get(key)?.saturated))
    .map(([, k]) => membersOf(k))
    .sort((a, b) => a.size - b.size);
  let candidates: Set<string>;
  if (covering.length > 0) {
    candidates = covering[0]!;
  } else {
    // Every field has a saturated key (or no key at all): read the holders of the saturated keys
    // of the field with the fewest of them.
    const usable = byField.filter(([, k]) => k.length > 0).sort((a, b) => saturatedOf(a[1], docs).length - saturatedOf(b[1], docs).length);
    const chosen = usable[0];
    candidates = new Set();
    if (!chosen) {
      complete = false;
      notes.push('No field of the request gives a searchable value (a name needs letters that make a phonetic key).');
    } else {
      for (const m of membersOf(chosen[1])) candidates.add(m);
      for (const key of saturatedOf(chosen[1], docs)) {
        const { ids, more } = await profilesHoldingKey(store, retailerId, key);
        for (const id of ids) candidates.add(id);
        if (more) {
          complete = false;
          notes.push(`The ${keyKind(key)} value is shared by more than ${FALLBACK_LIMIT} profiles; add another field to narrow the request.`);
        }
      }
    }
  }

  const found = new Map<string, ProfileDoc>();
  for (const id of candidates) {
    const doc = await store.readProfile(retailerId, id);
    if (doc?.match && factsMatch(req, doc.match.facts)) found.set(id, doc);
  }
  for (const id of await sensitiveMentions(store, retailerId, req)) {
    if (found.has(id)) continue;
    const doc = await store.readProfile(retailerId, id);
    if (doc) found.set(id, doc);
  }
  let profiles = [...found.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  if (profiles.length > MAX_SUBJECTS) {
    complete = false;
    notes.push(`More than ${MAX_SUBJECTS} people match; the first ${MAX_SUBJECTS} are in this bundle. Add fields to narrow the request.`);
    profiles = profiles.slice(0, MAX_SUBJECTS);
  }
  return { profiles, complete, notes };
}

function saturatedOf(keys: string[], docs: Map<string, { saturated: boolean } | undefined>): string[] {
  return keys.filter((k) => docs.get(k)?.saturated);
}

/** Profiles listing a key among their own, at most FALLBACK_LIMIT, and whether there are more. */
async function profilesHoldingKey(store: SubjectsStore, retailerId: string, key: string): Promise<{ ids: string[]; more: boolean }> {
  const ids = await store.profileIdsHoldingKey(retailerId, key, FALLBACK_LIMIT + 1);
  return { ids: ids.slice(0, FALLBACK_LIMIT), more: ids.length > FALLBACK_LIMIT };
}

/** Profile ids of people in the retailer's sensitive events who match the request. */
async function sensitiveMentions(store: SubjectsStore, retailerId: string, req: SubjectAccessRequest): Promise<string[]> {
  const ids = new Set<string>();
  for await (const event of store.sensitiveEvents(retailerId)) {
    for (const person of event.people) if (factsMatch(req, factsOfPerson(event, person))) ids.add(person.profileId);
  }
  return [...ids];
}
