import { assertSameOrg, authorize, permissions, type Action } from '../../../shared/domain/authorization';
import type { OrgType } from '../../../shared/domain/organisation';
import { roles, type Principal, type Role } from '../../../shared/domain/principal';

const principal = (role: Role, mfa = true, orgId: string | null = 'ret-a'): Principal => ({
  sub: 'u1',
  orgId,
  roles: [role],
  stores: null,
  mfa,
});

type Outcome = 'allow' | 'FORBIDDEN' | 'MFA_REQUIRED';

function outcome(p: Principal, action: Action, orgType: OrgType | null): Outcome {
  try {
    authorize(p, action, orgType);
    return 'allow';
  } catch (error) {
    return (error as { code: Outcome }).code;
  }
}

/** The expected answer for every role and action, written out as the product describes it. */
const table: Record<Action, Partial<Record<Role, OrgType | 'any'>>> = {
  'org.create': { PlatformAdmin: 'any' },
  'org.activate': { PlatformAdmin: 'any' },
  'org.suspend': { PlatformAdmin: 'any' },
  'transparency.read': { RetailerAdmin: 'retailer', Compliance: 'retailer' },
  'subscription.manage': { Investigator: 'retailer', RetailerAdmin: 'retailer', PoliceOfficer: 'agency' },
  'org.read': {
    PlatformAdmin: 'any',
    Reporter: 'any',
    Investigator: 'any',
    RetailerAdmin: 'any',
    Compliance: 'any',
    PoliceOfficer: 'any',
    PoliceSupervisor: 'any',
  },
  'access-review.read': { PoliceSupervisor: 'agency' },
  'store.read': {
    Reporter: 'retailer',
    Investigator: 'retailer',
    RetailerAdmin: 'retailer',
    Compliance: 'retailer',
    Integration: 'retailer',
  },
  'store.write': { RetailerAdmin: 'retailer' },
  'settings.read': { RetailerAdmin: 'retailer' },
  'settings.update': { RetailerAdmin: 'retailer' },
  'audit.verify': { Compliance: 'retailer' },
  'audit.export': { Compliance: 'retailer' },
  'job.run': { PlatformAdmin: 'any' },
  'event.create': { Reporter: 'retailer', Investigator: 'retailer', Integration: 'retailer' },
  'event.read': { Reporter: 'retailer', Investigator: 'retailer', RetailerAdmin: 'retailer', Compliance: 'retailer', PoliceOfficer: 'agency' },
  'event.message': { Investigator: 'any', PoliceOfficer: 'any' },
  'agreement.manage': { RetailerAdmin: 'retailer' },
  'agreement.read': { RetailerAdmin: 'retailer', Investigator: 'retailer' },
  'link.read': { Investigator: 'retailer' },
  'link.decide': { Investigator: 'retailer' },
  'matching-model.read': { Investigator: 'retailer' },
  'profile.split': { Investigator: 'retailer', RetailerAdmin: 'retailer' },
  'profile.read': { Investigator: 'any' },
  'profile.search': { Reporter: 'retailer', Investigator: 'retailer' },
  'event.update': { Reporter: 'retailer', Investigator: 'retailer' },
  'event.delete': { Reporter: 'retailer', RetailerAdmin: 'retailer' },
  'event.hold': { Investigator: 'retailer', RetailerAdmin: 'retailer' },
  // Evidence locker
  'evidence.create': { Reporter: 'retailer', Investigator: 'retailer', Integration: 'retailer' },
  'evidence.read': { Reporter: 'any', Investigator: 'any', RetailerAdmin: 'any', Compliance: 'any', PoliceOfficer: 'any' },
  'evidence.download': { Reporter: 'any', Investigator: 'any', RetailerAdmin: 'any', Compliance: 'any', PoliceOfficer: 'any' },
  'evidence.custody': { Compliance: 'retailer', Investigator: 'retailer', PoliceOfficer: 'agency' },
  'analytics.read': { Investigator: 'retailer' },
  // Subject access and erasure
  'subject-access.export': { Compliance: 'retailer' },
  'profile.erase': { RetailerAdmin: 'retailer' },
  // Licence-plate recognition
  'lpr.read': { Integration: 'retailer' },
  'lpr.alert.read': { Investigator: 'retailer' },
  'vehicle.read': { Investigator: 'retailer', PoliceOfficer: 'agency' },
  // Case files
  'casefile.create': { Investigator: 'retailer', PoliceOfficer: 'agency' },
  'casefile.read': { Investigator: 'retailer', PoliceOfficer: 'agency' },
  'casefile.download': { Investigator: 'retailer', PoliceOfficer: 'agency' },
};

describe('authorize: every role × action × organisation type', () => {
  const cases: [Action, Role, OrgType | null][] = [];
  for (const action of Object.keys(permissions) as Action[])
    for (const role of roles) for (const orgType of ['retailer', 'agency', null] as const) cases.push([action, role, orgType]);

  test.each(cases)('%s by %s of a %s organisation', (action, role, orgType) => {
    const allowedFor = table[action][role];
    const expected: Outcome =
      allowedFor === undefined ? 'FORBIDDEN' : allowedFor === 'any' || allowedFor === orgType ? 'allow' : 'FORBIDDEN';
    expect(outcome(principal(role), action, orgType)).toBe(expected);
  });
});

describe('MFA', () => {
  it('changing settings without MFA is MFA_REQUIRED, with it allowed', () => {
    expect(outcome(principal('RetailerAdmin', false), 'settings.update', 'retailer')).toBe('MFA_REQUIRED');
    expect(outcome(principal('RetailerAdmin', true), 'settings.update', 'retailer')).toBe('allow');
  });
  it('approving an agency needs MFA, withdrawing its approval does not (PRODUCT §5b marks only the approval); only a PlatformAdmin may either', () => {
    expect(outcome(principal('PlatformAdmin', false, null), 'org.activate', null)).toBe('MFA_REQUIRED');
    expect(outcome(principal('PlatformAdmin', true, null), 'org.activate', null)).toBe('allow');
    expect(outcome(principal('RetailerAdmin', true), 'org.activate', 'retailer')).toBe('FORBIDDEN');
    expect(outcome(principal('PlatformAdmin', false, null), 'org.suspend', null)).toBe('allow');
    expect(outcome(principal('RetailerAdmin', true), 'org.suspend', 'retailer')).toBe('FORBIDDEN');
  });

  it('a role that may never act gets FORBIDDEN, not MFA_REQUIRED', () => {
    expect(outcome(principal('Reporter', false), 'settings.update', 'retailer')).toBe('FORBIDDEN');
  });
  it('downloading evidence without MFA is MFA_REQUIRED; Integration may never download', () => {
    expect(outcome(principal('Investigator', false), 'evidence.download', 'retailer')).toBe('MFA_REQUIRED');
    expect(outcome(principal('Investigator', true), 'evidence.download', 'retailer')).toBe('allow');
    expect(outcome(principal('Integration', true), 'evidence.download', 'retailer')).toBe('FORBIDDEN');
  });
  it('exporting the audit chain without MFA is MFA_REQUIRED; only Compliance may', () => {
    expect(outcome(principal('Compliance', false), 'audit.export', 'retailer')).toBe('MFA_REQUIRED');
    expect(outcome(principal('Compliance', true), 'audit.export', 'retailer')).toBe('allow');
    expect(outcome(principal('RetailerAdmin', true), 'audit.export', 'retailer')).toBe('FORBIDDEN');
  });
  it('a subject-access export and an erasure need MFA; only Compliance exports, only RetailerAdmin erases', () => {
    expect(outcome(principal('Compliance', false), 'subject-access.export', 'retailer')).toBe('MFA_REQUIRED');
    expect(outcome(principal('Compliance', true), 'subject-access.export', 'retailer')).toBe('allow');
    expect(outcome(principal('Investigator', true), 'subject-access.export', 'retailer')).toBe('FORBIDDEN');
    expect(outcome(principal('RetailerAdmin', false), 'profile.erase', 'retailer')).toBe('MFA_REQUIRED');
    expect(outcome(principal('RetailerAdmin', true), 'profile.erase', 'retailer')).toBe('allow');
    expect(outcome(principal('Investigator', true), 'profile.erase', 'retailer')).toBe('FORBIDDEN');
    expect(outcome(principal('Compliance', true), 'profile.erase', 'retailer')).toBe('FORBIDDEN');
  });
  it('reading settings needs no MFA', () => {
    expect(outcome(principal('RetailerAdmin', false), 'settings.read', 'retailer')).toBe('allow');
  });
});

describe('assertSameOrg: another organisation’s resource is a 404, never a 403', () => {
  it('passes for the own organisation', () => {
    expect(() => assertSameOrg(principal('Investigator'), 'ret-a')).not.toThrow();
  });
  it.each<[Role, string | null]>([
    ['Investigator', 'ret-b'],
    ['RetailerAdmin', 'ret-b'],
    ['PlatformAdmin', null],
    ['PoliceOfficer', 'agy-1'],
  ])('%s of %s is answered NOT_FOUND', (role, orgId) => {
    expect(() => assertSameOrg(principal(role, true, orgId), 'ret-a')).toThrow(expect.objectContaining({ kind: 'not-found', code: 'NOT_FOUND' }));
  });
});
