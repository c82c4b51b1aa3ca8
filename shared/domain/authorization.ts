import { ForbiddenError, MfaRequiredError, NotFoundError } from './errors';
import { PLATFORM_ORG_ID, type OrgType } from './organisation';
import type { Principal, Role } from './principal';

interface Permission {
  roles: readonly Role[];
  /** The caller's organisation must be of this type (checked against the stored org). */
  orgType?: OrgType;
  /** Needs `mfa` in the token's `amr`. */
  mfa?: boolean;
  /** Where roles of different organisation types share an action: the type each role must act from. */
  orgTypeByRole?: Partial<Record<Role, OrgType>>;
}

const RETAILER_STAFF: readonly Role[] = ['Reporter', 'Investigator', 'RetailerAdmin', 'Compliance'];

/**
 * Who may do what: the one table every endpoint consults. Later features add their rows
 * here rather than checking roles in their own code.
 */
export const permissions = {
  'org.create': { roles: ['PlatformAdmin'] },
  'org.read': { roles: ['PlatformAdmin', ...RETAILER_STAFF, 'PoliceOfficer', 'PoliceSupervisor'] },
  // An agency's review of its own officers' use (PRODUCT §5b): its chain's record of their requests.
  'access-review.read': { roles: ['PoliceSupervisor'], orgType: 'agency' },
  // Approving an agency (PRODUCT §5b, MFA), and withdrawing its approval: that only takes access
  // away, and must be quick, so it needs no MFA (PRODUCT marks only the approval).
  'org.activate': { roles: ['PlatformAdmin'], mfa: true },
  'org.suspend': { roles: ['PlatformAdmin'] },
  'store.read': { roles: [...RETAILER_STAFF, 'Integration'], orgType: 'retailer' },
  'store.write': { roles: ['RetailerAdmin'], orgType: 'retailer' },
  'settings.read': { roles: ['RetailerAdmin'], orgType: 'retailer' },
  'settings.update': { roles: ['RetailerAdmin'], orgType: 'retailer', mfa: true },
  'audit.verify': { roles: ['Compliance'], orgType: 'retailer' },
  'audit.export': { roles: ['Compliance'], orgType: 'retailer', mfa: true },
  // Police requests counted per agency, legal basis and month (PRODUCT §5b).
  'transparency.read': { roles: ['RetailerAdmin', 'Compliance'], orgType: 'retailer' },
  'job.run': { roles: ['PlatformAdmin'] },
  'event.create': { roles: ['Reporter', 'Investigator', 'Integration'], orgType: 'retailer' },
  // Whose events: the visibility rule in sharing.ts decides (owner, police, partner).
  'event.read': {
    roles: [...RETAILER_STAFF, 'PoliceOfficer'],
    orgTypeByRole: { Reporter: 'retailer', Investigator: 'retailer', RetailerAdmin: 'retailer', Compliance: 'retailer', PoliceOfficer: 'agency' },
  },
  'event.message': { roles: ['Investigator', 'PoliceOfficer'] },
  'agreement.manage': { roles: ['RetailerAdmin'], orgType: 'retailer' },
  'agreement.read': { roles: ['RetailerAdmin', 'Investigator'], orgType: 'retailer' },
  'link.read': { roles: ['Investigator'], orgType: 'retailer' },
  'link.decide': { roles: ['Investigator'], orgType: 'retailer' },
  'matching-model.read': { roles: ['Investigator'], orgType: 'retailer' },
  'profile.split': { roles: ['Investigator', 'RetailerAdmin'], orgType: 'retailer' },
  'profile.read': { roles: ['Investigator'] },
  'profile.search': { roles: ['Reporter', 'Investigator'], orgType: 'retailer' },
  'event.update': { roles: ['Reporter', 'Investigator'], orgType: 'retailer' },
  'event.delete': { roles: ['Reporter', 'RetailerAdmin'], orgType: 'retailer' },
  'event.hold': { roles: ['Investigator', 'RetailerAdmin'], orgType: 'retailer' },
  // Evidence locker (PRODUCT §3). Which items: the event's visibility decides.
  'evidence.create': { roles: ['Reporter', 'Investigator', 'Integration'], orgType: 'retailer' },
  // Whose evidence: the event's visibility (owner, police, partner) decides.
  'evidence.read': { roles: [...RETAILER_STAFF, 'PoliceOfficer'] },
  'evidence.download': { roles: [...RETAILER_STAFF, 'PoliceOfficer'], mfa: true },
  // The owner's Compliance and Investigators; a police officer for an item shared with their agency (PRODUCT §5b: content and custody).
  'evidence.custody': {
    roles: ['Compliance', 'Investigator', 'PoliceOfficer'],
    orgTypeByRole: { Compliance: 'retailer', Investigator: 'retailer', PoliceOfficer: 'agency' },
  },
  // Analytics (PRODUCT §9): counts and sums only, over live events and retention's aggregates.
  'analytics.read': { roles: ['Investigator'], orgType: 'retailer' },
  // Subject access and erasure (PRODUCT §7).
  'subject-access.export': { roles: ['Compliance'], orgType: 'retailer', mfa: true },
  'profile.erase': { roles: ['RetailerAdmin'], orgType: 'retailer', mfa: true },
  // Licence-plate recognition (PRODUCT §6). Vehicle enquiries: whose events, the visibility rule decides.
  'lpr.read': { roles: ['Integration'], orgType: 'retailer' },
  'lpr.alert.read': { roles: ['Investigator'], orgType: 'retailer' },
  // Alert subscriptions (PRODUCT §6b): each organisation's own; what they deliver, the visibility rule decides at delivery.
  'subscription.manage': {
    roles: ['Investigator', 'RetailerAdmin', 'PoliceOfficer'],
    orgTypeByRole: { Investigator: 'retailer', RetailerAdmin: 'retailer', PoliceOfficer: 'agency' },
  },
  // Case files for prosecution (PRODUCT §4c): over the events the visibility rule lets the requester see.
  'casefile.create': { roles: ['Investigator', 'PoliceOfficer'], orgTypeByRole: { Investigator: 'retailer', PoliceOfficer: 'agency' } },
  'casefile.read': { roles: ['Investigator', 'PoliceOfficer'], orgTypeByRole: { Investigator: 'retailer', PoliceOfficer: 'agency' } },
  'casefile.download': { roles: ['Investigator', 'PoliceOfficer'], orgTypeByRole: { Investigator: 'retailer', PoliceOfficer: 'agency' }, mfa: true },
  'vehicle.read': { roles: ['Investigator', 'PoliceOfficer'], orgTypeByRole: { Investigator: 'retailer', PoliceOfficer: 'agency' } },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof permissions;

/**
 * What a role may do within an action the table above allows: the finer rules of who sees what.
 * Code asks `may(principal, capability)` rather than naming roles, so this file and the principal
 * schema are the only places a role is named.
 */
export const capabilities = {
  // The retailer's own staff who read its events (Integration clients write but read nothing back).
  'event.read.own': RETAILER_STAFF,
  // Sensitive events of their own retailer (PRODUCT §2).
  'event.read.sensitive': ['Investigator', 'RetailerAdmin', 'Compliance'],
  // Read and report for every store of the retailer, whatever the token's `stores` claim says.
  'store.all': ['Investigator', 'RetailerAdmin', 'Compliance'],
  // Post and read messages on their own retailer's events.
  'event.message.own': ['Investigator'],
  // A shared event, read as police (the agency's sharing decides which) or as a partner (an active agreement).
  'event.read.police': ['PoliceOfficer'],
  'event.read.partner': ['Investigator'],
  // Delete any event of the retailer; a Reporter only their own within 24 hours.
  'event.delete.any': ['RetailerAdmin'],
  'event.delete.own-recent': ['Reporter'],
  // Every organisation, not only the caller's own.
  'org.read.any': ['PlatformAdmin'],
  // Alerts on sensitive events, for subscriptions an Investigator of the owner made (PRODUCT §6b).
  'alert.sensitive': ['Investigator'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof capabilities;

/** Whether one of the principal's roles has the capability (roles only: the action was authorized before). */
export function may(principal: Pick<Principal, 'roles'>, capability: Capability): boolean {
  const roles: readonly Role[] = capabilities[capability];
  return principal.roles.some((r) => roles.includes(r));
}

/** The platform operators' roles (PRODUCT §1: of no organisation type). */
const PLATFORM_ROLES: readonly Role[] = ['PlatformAdmin'];

/**
 * The roles a token's holder acts with: a platform role only from the platform organisation or
 * from a token naming none (PRODUCT §1: of no organisation type). A token that places its holder
 * in a retailer or an agency acts for that organisation only: a platform role assigned to them by
 * mistake is dropped like an unknown role, and creates, approves or reads no organisation. (Who may
 * hold the role at all is the directory's: in Azure, one tenant's app-role assignments.)
 */
export function effectiveRoles(roles: readonly Role[], orgId: string | null): Role[] {
  const platform = orgId === null || orgId === PLATFORM_ORG_ID;
  return roles.filter((r) => platform || !PLATFORM_ROLES.includes(r));
}

/** Roles whose reads of retailer data state a legal basis and a case reference (PRODUCT §5b). */
const STATES_PURPOSE: readonly Role[] = ['PoliceOfficer'];

export const mustStatePurpose = (principal: Principal): boolean => principal.roles.some((r) => STATES_PURPOSE.includes(r));

export function permissionFor(action: Action): Permission {
  return permissions[action];
}

/**
 * Throws unless the caller may perform `action` at all: 403 FORBIDDEN for a role or an
 * organisation type that never may, then 403 MFA_REQUIRED. Whether a particular resource
 * is visible is a separate question (`assertSameOrg`): invisible answers 404, never 403.
 */
export function authorize(principal: Principal, action: Action, callerOrgType?: OrgType | null): void {
  const permission: Permission = permissions[action];
  if (!principal.roles.some((r) => permission.roles.includes(r))) {
    throw new ForbiddenError(`Your role may not perform ${action}.`);
  }
  if (permission.orgType && callerOrgType !== permission.orgType) {
    throw new ForbiddenError(`Only a ${permission.orgType} organisation may perform ${action}.`);
  }
  const byRole = permission.orgTypeByRole;
  if (byRole && !principal.roles.some((r) => permission.roles.includes(r) && (byRole[r] ?? callerOrgType) === callerOrgType)) {
    throw new ForbiddenError(`Your role may not perform ${action} from this organisation.`);
  }
  if (permission.mfa && !principal.mfa) throw new MfaRequiredError();
}

export function mayPerform(principal: Principal, action: Action, callerOrgType?: OrgType | null): boolean {
  try {
    authorize(principal, action, callerOrgType);
    return true;
  } catch {
    return false;
  }
}

/** A resource of another organisation answers exactly like one that does not exist. */
export function assertSameOrg(principal: Principal, ownerOrgId: string): void {
  if (principal.orgId !== ownerOrgId) throw new NotFoundError();
}
