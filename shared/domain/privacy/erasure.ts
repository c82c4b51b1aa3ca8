import { z } from 'zod';
import type { RetailEvent } from '../events/event-schema';

/*
 * Erasure of one person (PRODUCT §7, DELETE /profiles/{id}): the rules that need no I/O.
 */

/** The steps of an erasure, in the order they run; a crash after any of them is finished by running it again. */
export const ERASURE_STEPS = ['marked', 'events', 'keys', 'links', 'deleted'] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

/**
 * The event without the person of that profile: their entries in `people` go, everything else
 * (vehicles, products, description, other people, evidence) stays. Undefined when the person is
 * not in the event (nothing to change).
 */
export function withoutPerson(event: RetailEvent, profileId: string, by: string, now: Date): RetailEvent | undefined {
  const people = event.people.filter((p) => p.profileId !== profileId);
  if (people.length === event.people.length) return undefined;
  return { ...event, people, updatedAt: now.toISOString(), updatedBy: by };
}

/** A stored idempotent response (the 201 of an event's create) without the person, for a retry within 24 h. */
export function responseWithoutPerson(body: unknown, profileId: string): unknown {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { people?: unknown }).people)) return body;
  const people = (body as { people: { profileId?: string }[] }).people;
  return { ...body, people: people.filter((p) => p?.profileId !== profileId) };
}

export const ErasureResultSchema = z.object({
  profileId: z.string(),
  /** Events the person was taken out of (the events remain). */
  eventsUpdated: z.number().int(),
  /** Connect the Dots keys the profile was removed from. */
  keysRemoved: z.number().int(),
  /** Link suggestions and decisions involving the profile, in any retailer's partition. */
  linksRemoved: z.number().int(),
  erasedAt: z.string(),
});
export type ErasureResult = z.infer<typeof ErasureResultSchema>;
