import { z } from 'zod';
import type { Org } from './organisation';
import { OrgIdSchema } from './organisation';
import type { Principal } from './principal';
import type { RetailEvent } from './events/event-schema';
import type { RetailerSettings } from './retailer-settings';
import { canSeeOwnEvent } from './events/event-rules';
import { may } from './authorization';

/**
 * The one visibility rule (PRODUCT §5). Given who is asking and everything about an event
 * that matters (its retailer's sharing default, its store's jurisdiction, whether the two
 * retailers hold an active agreement), it says whether the event is visible, through which
 * relation, and what that relation allows. Events, evidence, messages, vehicles and exports
 * all ask this; nothing else decides.
 */
export type Relation = 'owner' | 'police' | 'partner';

export interface Access {
  relation: Relation;
  /** Download evidence bytes: the owner and police (MFA checked separately), never partners. */
  download: boolean;
  /** Post and read messages on the event: owner staff and police. */
  message: boolean;
  /** Change or delete: the owner only. */
  write: boolean;
}

export interface Viewer {
  principal: Principal;
  /** The viewer's organisation, or undefined when the token names none that exists. */
  org: Org | undefined;
}

export interface SharingFacts {
  event: Pick<RetailEvent, 'retailerId' | 'storeId' | 'sensitive' | 'policeSharing'> & Partial<RetailEvent>;
  storeJurisdiction: string | undefined;
  retailerPoliceSharing: RetailerSettings['policeSharing'];
  /** An active agreement between the viewer's retailer and the event's retailer. */
  activeAgreement: boolean;
}

/** The mode that applies: the event's own, or its retailer's default; a sensitive event never inherits a default. */
export function effectivePoliceMode(facts: SharingFacts): 'none' | 'internal' | 'jurisdiction' | 'all' {
  const mode = facts.event.policeSharing.mode;
  if (mode !== 'default') return mode;
  return facts.event.sensitive ? 'none' : facts.retailerPoliceSharing;
}

export function sharedWithAgency(agency: Org, facts: SharingFacts): boolean {
  if (facts.event.policeSharing.excludeAgencies.includes(agency.id)) return false;
  const mode = effectivePoliceMode(facts);
  if (mode === 'all') return true;
  return mode === 'jurisdiction' && !!facts.storeJurisdiction && agency.jurisdictions.includes(facts.storeJurisdiction);
}

export function accessTo(viewer: Viewer, facts: SharingFacts): Access | null {
  const { principal, org } = viewer;
  if (!org || principal.orgId !== org.id) return null;
  if (org.id === facts.event.retailerId) {
    if (!may(principal, 'event.read.own')) return null;
    if (!canSeeOwnEvent(principal, facts.event as RetailEvent)) return null;
    return { relation: 'owner', download: true, message: may(principal, 'event.message.own'), write: true };
  }
  if (org.type === 'agency' && may(principal, 'event.read.police') && sharedWithAgency(org, facts)) {
    return { relation: 'police', download: true, message: true, write: false };
  }
  if (org.type === 'retailer' && may(principal, 'event.read.partner') && facts.activeAgreement && !facts.event.sensitive) {
    return { relation: 'partner', download: false, message: false, write: false };
  }
  return null;
}

/**
 * The same rule for a retailer's own systems rather than one person (LPR alerts, where the
 * reader is an Integration client): its own events, and a partner's non-sensitive events while
 * an agreement is active. Police relations do not apply: a retailer is not an agency.
 */
export function retailerSees(retailerId: string, facts: Pick<SharingFacts, 'activeAgreement'> & { event: Pick<RetailEvent, 'retailerId' | 'sensitive'> }): Relation | null {
  if (facts.event.retailerId === retailerId) return 'owner';
  return facts.activeAgreement && !facts.event.sensitive ? 'partner' : null;
}

/** Agreements are keyed by the unordered pair, so either side finds the one record with a point read. */
export const agreementId = (a: string, b: string): string => (a < b ? `${a}.${b}` : `${b}.${a}`);

export const AgreementStatusSchema = z.enum(['proposed', 'active', 'revoked']);

export const AgreementSchema = z.object({
  id: z.string(),
  parties: z.tuple([OrgIdSchema, OrgIdSchema]),
  proposedBy: OrgIdSchema,
  partnerRetailerId: OrgIdSchema.describe('The other retailer, as the caller sees the agreement'),
  status: AgreementStatusSchema,
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: OrgIdSchema.nullable(),
}).meta({ id: 'Agreement' });
export type Agreement = z.infer<typeof AgreementSchema>;

export const ProposeAgreementSchema = z.object({ partnerRetailerId: OrgIdSchema }).strict();

export const MessageInputSchema = z.object({ body: z.string().trim().min(1).max(4000) }).strict();
export const MessageSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  author: z.object({ sub: z.string(), org: z.string(), relation: z.enum(['owner', 'police']) }),
  body: z.string(),
  createdAt: z.string(),
}).meta({ id: 'Message' });
export type Message = z.infer<typeof MessageSchema>;
