import type { RetailerSettings } from '../retailer-settings';
import { retailerSees } from '../sharing';
import { canonicalPlate, type PlateEntry } from './plate-index';

/**
 * When a plate read alerts (PRODUCT §6). The candidates are the index entries under the read's
 * OCR-canonical plate, each with the relation through which the reading retailer sees its
 * event: its own (sensitive ones included: the alert carries ids only, and the vehicle is as
 * relevant to the store's safety), or a partner's while an agreement is active (never
 * sensitive; `retailerSees` in sharing.ts).
 *
 * Rules (`lprAlerts`): the qualifying events are the visible ones, violent only when
 * `violentOnly`; the read alerts when there are at least `minEvents` of them and their loss
 * value adds up to at least `minLossValue` (values summed as recorded, whatever the currency).
 */
export type LprRules = RetailerSettings['lprAlerts'];

export interface Candidate extends PlateEntry {
  retailerId: string;
  relation: 'owner' | 'partner';
}

export interface AlertDecision {
  eventIds: string[];
  profileIds: string[];
  retailerIds: string[];
  match: 'exact' | 'ocr';
  reason: string;
  /** Each qualifying event with its owner (for the owners' audit chains). */
  sources: { retailerId: string; eventId: string }[];
}

/**
 * The index entries of one retailer's plate document that the reading retailer sees, with the
 * relation the one visibility rule gives them (`activeAgreement` between the two retailers).
 */
export function visibleCandidates(readerId: string, ownerId: string, entries: readonly PlateEntry[], activeAgreement: boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const e of entries) {
    const relation = retailerSees(readerId, { event: { retailerId: ownerId, sensitive: e.sensitive }, activeAgreement });
    if (relation === 'owner' || relation === 'partner') out.push({ ...e, retailerId: ownerId, relation });
  }
  return out;
}

/** Candidates must come from `visibleCandidates`. */
export function evaluateRead(plate: string, candidates: readonly Candidate[], rules: LprRules): AlertDecision | null {
  const canonical = canonicalPlate(plate);
  const seen = new Set<string>();
  const qualifying = candidates.filter((c) => {
    const key = `${c.retailerId}/${c.eventId}`;
    if (seen.has(key) || canonicalPlate(c.plate) !== canonical) return false;
    if (rules.violentOnly && !c.violent) return false;
    seen.add(key);
    return true;
  });
  if (qualifying.length === 0 || qualifying.length < rules.minEvents) return null;
  const loss = Math.round(qualifying.reduce((s, c) => s + c.lossValue, 0) * 100) / 100;
  if (loss < rules.minLossValue) return null;
  const match = qualifying.some((c) => c.plate === plate) ? 'exact' : 'ocr';
  const violent = qualifying.filter((c) => c.violent).length;
  const partners = qualifying.filter((c) => c.relation === 'partner').length;
  const parts = [
    `${match === 'exact' ? 'plate matches exactly' : 'plate matches an OCR-confusable form'}`,
    `${qualifying.length} event(s)`,
    ...(violent ? [`${violent} with violence`] : []),
    ...(partners ? [`${partners} from partner retailers`] : []),
    `loss value ${loss.toFixed(2)}`,
  ];
  return {
    eventIds: qualifying.map((c) => c.eventId),
    profileIds: [...new Set(qualifying.flatMap((c) => c.profileIds))],
    retailerIds: [...new Set(qualifying.map((c) => c.retailerId))],
    match,
    sources: qualifying.map((c) => ({ retailerId: c.retailerId, eventId: c.eventId })),
    reason: `${parts.join(', ')} (rules: minEvents ${rules.minEvents}, violentOnly ${rules.violentOnly}, minLossValue ${rules.minLossValue})`,
  };
}
