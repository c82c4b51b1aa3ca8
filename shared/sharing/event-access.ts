import { accessTo, type Access, type SharingFacts, type Viewer } from '../domain/sharing';
import { NotFoundError } from '../domain/errors';
import type { RetailEvent } from '../domain/events/event-schema';
import type { Org } from '../domain/organisation';
import type { RetailerSettings } from '../domain/retailer-settings';
import { auditFor, type AuditOf, type Caller } from '../audit/audited-authorize';
import { findEventAnywhere, readEvent, type VersionedEvent } from '../events/event-repository';
import { getOrg, getSettings } from '../orgs/org-repository';
import { agreementIsActive } from './agreement-repository';

export interface VisibleEvent extends VersionedEvent {
  access: Access;
}

/** What deciding who sees an event reads, and where a refusal is recorded: the repositories in the app, in-memory records in unit tests of this logic. */
export interface EventAccessStore {
  getOrg(orgId: string): Promise<Org | undefined>;
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  agreementIsActive(a: string, b: string): Promise<boolean>;
  readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined>;
  findEventAnywhere(id: string): Promise<VersionedEvent | undefined>;
  auditFor(caller: Caller, orgId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: EventAccessStore = { getOrg, getSettings, agreementIsActive, readEvent, findEventAnywhere, auditFor };

/** Who may see an event (PRODUCT §5), over a store. */
export function eventAccess(store: EventAccessStore) {
  async function viewerOf(caller: Caller): Promise<Viewer> {
    return { principal: caller.principal, org: caller.principal.orgId ? await store.getOrg(caller.principal.orgId) : undefined };
  }

  /** Everything the visibility rule needs about an event, read fresh: a revoked agreement or changed default applies at once. */
  async function sharingFacts(viewer: Viewer, event: RetailEvent, storeJurisdiction: string): Promise<SharingFacts> {
    const { settings } = await store.getSettings(event.retailerId);
    const partner = viewer.org?.type === 'retailer' && viewer.org.id !== event.retailerId;
    return {
      event,
      storeJurisdiction,
      retailerPoliceSharing: settings.policeSharing,
      activeAgreement: partner ? await store.agreementIsActive(viewer.org!.id, event.retailerId) : false,
    };
  }

  /**
   * An event the caller may see, whoever owns it, or 404. The owner's own events are a point
   * read; police officers and partner investigators, who do not know the owner, find it by id.
   * An attempt on an existing event that the rule refuses lands in the owner's chain as denied,
   * whoever made it (another retailer's reporter guessing ids too: a query, on a miss only). Its
   * target is what was asked for: the event, or the item of it (`of`, an evidence id) so that the
   * item's custody shows the attempt.
   */
  async function loadVisibleEvent(caller: Caller, id: string, action = 'event.read', of?: { type: string; id: string }): Promise<VisibleEvent> {
    const viewer = await viewerOf(caller);
    const own = viewer.org?.type === 'retailer' ? await store.readEvent(viewer.org.id, id) : undefined;
    const found = own ?? (await store.findEventAnywhere(id));
    if (!found || found.purging) throw new NotFoundError();
    const access = accessTo(viewer, await sharingFacts(viewer, found.event, found.storeJurisdiction));
    if (!access) {
      await store.auditFor(caller, found.event.retailerId, {
        action,
        target: of ?? { type: 'event', id },
        outcome: 'denied',
        details: of ? { eventId: id, code: 'NOT_VISIBLE' } : { code: 'NOT_VISIBLE' },
      });
      throw new NotFoundError();
    }
    return { ...found, access };
  }

  return { viewerOf, sharingFacts, loadVisibleEvent };
}

export const { viewerOf, sharingFacts, loadVisibleEvent } = eventAccess(cosmosRecords);
