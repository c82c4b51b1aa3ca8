import { createHash } from 'node:crypto';
import type { RetailEvent } from '../events/event-schema';
import { ocrCanonical } from '../matching/keys';

/**
 * The LPR plate index: one document per (retailer, OCR-canonical plate) in the retailer's
 * partition, listing what the alert rules need about each event with that vehicle, so a
 * plate read is answered by point reads and never touches the events themselves.
 */

/** Newest events kept per plate document: bounds its size (≈ 25 KB) whatever a plate's history. */
export const MAX_PLATE_ENTRIES = 100;

export interface PlateEntry {
  eventId: string;
  /** The normalised plate as recorded on the event (an OCR-confusable read may differ). */
  plate: string;
  storeId: string;
  occurredAt: string;
  profileIds: string[];
  violent: boolean;
  lossValue: number;
  sensitive: boolean;
}

/** The index document's id: a hash of the canonical form (plates are personal data; ids are logged and listed). */
export function plateIndexId(canonical: string): string {
  return `plate-${createHash('sha256').update(`plate-index:${canonical}`).digest('hex').slice(0, 40)}`;
}

export const canonicalPlate = (normalised: string): string => ocrCanonical(normalised);

/** Violence threatened or used, as harm figures count it. */
export function isViolent(event: Pick<RetailEvent, 'violence'>): boolean {
  return !!event.violence && (event.violence.threatened || event.violence.used);
}

/** Value of the goods lost: completed events only (a prevented attempt lost nothing), as harm figures count it. */
export function lossValueOf(event: Pick<RetailEvent, 'products' | 'prevented'>): number {
  if (event.prevented) return 0;
  const sum = (event.products ?? []).reduce((s, p) => s + p.quantity * p.unitValue, 0);
  return Math.round(sum * 100) / 100;
}

/** The event's entries grouped by canonical plate (two of its vehicles may collapse onto one). */
export function plateEntriesOf(event: RetailEvent | undefined): Map<string, PlateEntry[]> {
  const out = new Map<string, PlateEntry[]>();
  if (!event) return out;
  const profileIds = [...new Set(event.people.map((p) => p.profileId))];
  for (const plate of new Set(event.vehicles.map((v) => v.normalisedPlate))) {
    const canonical = canonicalPlate(plate);
    const entry: PlateEntry = {
      eventId: event.id,
      plate,
      storeId: event.storeId,
      occurredAt: new Date(event.occurredAt).toISOString(),
      profileIds,
      violent: isViolent(event),
      lossValue: lossValueOf(event),
      sensitive: event.sensitive,
    };
    out.set(canonical, [...(out.get(canonical) ?? []), entry]);
  }
  return out;
}

/**
 * Replaces one event's entries in a plate document's list: newest first, at most
 * MAX_PLATE_ENTRIES (the oldest go, and `truncated` says so).
 */
export function withEventEntries(entries: readonly PlateEntry[], eventId: string, replacement: readonly PlateEntry[]): { entries: PlateEntry[]; truncated: boolean } {
  const all = [...entries.filter((e) => e.eventId !== eventId), ...replacement].sort(
    (a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.eventId.localeCompare(a.eventId),
  );
  return { entries: all.slice(0, MAX_PLATE_ENTRIES), truncated: all.length > MAX_PLATE_ENTRIES };
}
