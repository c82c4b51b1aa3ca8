import { readProfile } from '../../../shared/events/profile-repository';
import { readKey } from '../../../shared/matching/matchkey-repository';
import { call } from './api';
import { eventBody } from './world';

export const person = (ref: string, given: string, family: string, extra: Record<string, unknown> = {}) => ({
  ref,
  role: 'offender',
  name: { given, family },
  ...extra,
});

/** Reports an event (no vehicles unless given) and answers the stored event. */
export async function report(token: string, people: unknown[], overrides: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/events', { token, body: eventBody({ people, vehicles: [], ...overrides }) });
  if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
  return res.body as { id: string; people: { ref: string; profileId: string }[] };
}

/** Matching runs from a queue: waits until the profile's index covers the event and its keys list it. */
export async function indexed(retailerId: string, profileId: string, eventId: string, timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = await readProfile(retailerId, profileId);
    if (doc?.match?.indexedEvents.includes(eventId)) {
      const keys = await Promise.all(doc.match.keys.map((k) => readKey(retailerId, k)));
      if (keys.every((k) => k && (k.saturated || k.members.includes(profileId)))) return doc.match.keys;
    }
    if (Date.now() > deadline) throw new Error(`profile ${profileId} not indexed for ${eventId} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The retailer's first pending link suggestion, once the matcher (a queue after intake) has made one. */
export async function pendingLink(token: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = (await call('GET', '/api/v1/links?status=pending&pageSize=100', { token })).body.items;
    if (items.length) return items[0];
    if (Date.now() > deadline) throw new Error('no suggestion');
    await new Promise((r) => setTimeout(r, 250));
  }
}
