import { z } from 'zod';

export const roles = [
  'Reporter',
  'Investigator',
  'RetailerAdmin',
  'Compliance',
  'Integration',
  'PoliceOfficer',
  'PoliceSupervisor',
  'PlatformAdmin',
] as const;
export const RoleSchema = z.enum(roles);
export type Role = z.infer<typeof RoleSchema>;

/** The authenticated caller, as read from a validated token. Unknown roles are dropped. */
export interface Principal {
  sub: string;
  /** Organisation id from the token; a PlatformAdmin may have none. */
  orgId: string | null;
  roles: Role[];
  /** Store scope of a Reporter; null means every store of the retailer. */
  stores: string[] | null;
  mfa: boolean;
}
