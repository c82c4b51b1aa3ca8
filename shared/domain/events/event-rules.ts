import { createHash } from 'node:crypto';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { Principal } from '../principal';
import type { EventInput, LegalHold, Person, RetailEvent } from './event-schema';
import { normalisePlate } from './plates';
import type { TextField } from '../screening';
import { may } from '../authorization';
import { idInShard, shardOf } from '../shards';

export const CLOCK_SKEW_MS = 60_000;
/** Nothing this service records happened before this: a date earlier is a typo or a clock at zero. */
export const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
export const SELF_DELETE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Rules the schema cannot know: time now, and the caller's store scope. */
export function checkEventInput(input: EventInput, principal: Principal, now: Date): void {
  const at = Date.parse(input.occurredAt);
  if (at > now.getTime() + CLOCK_SKEW_MS) {
    throw new ValidationError([{ path: 'occurredAt', message: 'occurredAt is in the future.' }]);
  }
  if (at < EARLIEST) throw new ValidationError([{ path: 'occurredAt', message: 'occurredAt is before 2000.' }]);
  input.people?.forEach((p, i) => {
    if (p.dateOfBirth && Date.parse(p.dateOfBirth) > now.getTime()) {
      throw new ValidationError([{ path: `people.${i}.dateOfBirth`, message: 'dateOfBirth is in the future.' }]);
    }
  });
  if (!inStoreScope(principal, input.storeId)) {
    throw new AppError('forbidden', 'STORE_OUT_OF_SCOPE', 'You report only for the stores in your scope.', [
      { path: 'storeId', message: 'The store is not in your scope.' },
    ]);
  }
}

/** A Reporter with a `stores` claim acts only for those stores; everyone else for all of the retailer's. */
export function inStoreScope(principal: Principal, storeId: string): boolean {
  const scoped = principal.stores !== null && !may(principal, 'store.all');
  return !scoped || principal.stores!.includes(storeId);
}

/**
 * The id of the profile a new person starts: derived (a SHA-256 of the event and the person's
 * ref), so a retried write makes the same one, its last digits chosen to fall in its event's
 * shard (idInShard), so the two are written at once.
 */
export function newProfileId(eventId: string, ref: string): string {
  return idInShard(createHash('sha256').update(`profile:${eventId}:${ref}`).digest('hex'), shardOf(eventId));
}

/**
 * People keep the profile they were given, or the one they had before a correction (same
 * ref), or start a new one.
 */
export function assignProfiles(eventId: string, people: EventInput['people'], before: Person[] = []): Person[] {
  const previous = new Map(before.map((p) => [p.ref, p.profileId]));
  return (people ?? []).map((p) => ({ ...p, profileId: p.profileId ?? previous.get(p.ref) ?? newProfileId(eventId, p.ref) }));
}

export function buildEvent(
  id: string,
  retailerId: string,
  input: EventInput,
  actor: string,
  now: Date,
  previous?: RetailEvent,
): RetailEvent {
  const at = now.toISOString();
  const { people, vehicles, ...rest } = input;
  return {
    ...rest,
    id,
    retailerId,
    people: assignProfiles(id, people, previous?.people),
    vehicles: (vehicles ?? []).map((v) => ({ ...v, normalisedPlate: normalisePlate(v.plate) })),
    legalHold: previous?.legalHold ?? null,
    createdAt: previous?.createdAt ?? at,
    createdBy: previous?.createdBy ?? actor,
    updatedAt: at,
    updatedBy: actor,
  };
}

/** The client-editable part of a stored event: what a merge patch applies to. */
export function toInput(event: RetailEvent): Record<string, unknown> {
  const { id: _id, retailerId: _r, legalHold: _l, createdAt: _c, createdBy: _cb, updatedAt: _u, updatedBy: _ub, ...input } = event;
  return { ...input, vehicles: input.vehicles.map(({ normalisedPlate: _n, ...v }) => v) };
}

/**
 * Whether a member of the owning retailer may see this event: Reporters only in their
 * store scope, sensitive events only for Investigator, RetailerAdmin and Compliance.
 */
export function canSeeOwnEvent(principal: Principal, event: RetailEvent): boolean {
  if (principal.orgId !== event.retailerId) return false;
  if (event.sensitive && !may(principal, 'event.read.sensitive')) return false;
  return inStoreScope(principal, event.storeId);
}

export function assertCanSeeOwnEvent(principal: Principal, event: RetailEvent | undefined): asserts event is RetailEvent {
  if (!event || !canSeeOwnEvent(principal, event)) throw new NotFoundError();
}

/** RetailerAdmin always; the Reporter who created it within 24 hours (self-remediation). */
export function assertMayDelete(principal: Principal, event: RetailEvent, now: Date): void {
  const own = event.createdBy === principal.sub && now.getTime() - Date.parse(event.createdAt) <= SELF_DELETE_WINDOW_MS;
  if (may(principal, 'event.delete.any') || (own && may(principal, 'event.delete.own-recent'))) {
    // Who may delete it still may not while it is held (the purge checks again, against a hold placed meanwhile).
    if (event.legalHold) throw new ConflictError('LEGAL_HOLD', 'The event is under legal hold and cannot be deleted.');
    return;
  }
  throw new ForbiddenError('Only an administrator of the retailer, or the person who reported the event within 24 hours of reporting it, may delete it.');
}

export function placeHold(reason: string, by: string, now: Date): LegalHold {
  return { reason, by, at: now.toISOString() };
}

/** Ids and counts about an event for the audit chain: never names, plates or text. */
export function auditDetails(event: RetailEvent): Record<string, string | number | boolean | string[]> {
  return {
    storeId: event.storeId,
    type: event.type,
    people: event.people.length,
    vehicles: event.vehicles.length,
    profileIds: event.people.map((p) => p.profileId),
    sensitive: event.sensitive,
  };
}

export function profileIdsOf(event: Pick<RetailEvent, 'people'> | undefined): string[] {
  return [...new Set((event?.people ?? []).map((p) => p.profileId))];
}

/** The refusal of a person's profile id that names no profile (or one gone since it was checked): the first person giving it. */
export function unknownProfile(people: readonly { profileId?: string }[], profileId: string): ValidationError {
  const i = Math.max(0, people.findIndex((p) => p.profileId === profileId));
  return new ValidationError([{ path: `people.${i}.profileId`, message: 'No such profile.' }], 'Unknown profile.', 'UNKNOWN_PROFILE');
}

/** The free text PRODUCT screens: description, distinguishing features and clothing (never names). */
export function freeTextFields(input: EventInput): TextField[] {
  const fields: TextField[] = [];
  if (input.description) fields.push({ path: 'description', text: input.description });
  input.people?.forEach((p, i) => {
    p.distinguishingFeatures?.forEach((text, j) => fields.push({ path: `people.${i}.distinguishingFeatures.${j}`, text, worn: true }));
    if (p.clothing) fields.push({ path: `people.${i}.clothing`, text: p.clothing, worn: true });
  });
  return fields;
}
