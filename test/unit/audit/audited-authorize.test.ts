import { auditedAuthorization, type AuditedAuthorizeStore, type Caller } from '../../../shared/audit/audited-authorize';
import { GENESIS_HASH, sealEntry, type AuditDraft } from '../../../shared/domain/audit-chain';
import { ForbiddenError } from '../../../shared/domain/errors';
import { callerAs } from '../support/caller';

/**
 * Audited authorization on its own, over chains in memory: which refusals land in the caller's
 * chain (and with which code), what an entry carries of its caller and their stated purpose, and
 * which entries put a retailer's transparency tally behind. The table itself is
 * authorization.test.ts's; the chains and tallies against the emulator in
 * test/integration/app/transparency.test.ts and police-accountability.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const PURPOSE = { legalBasis: 'investigation' as const, caseReference: 'C-1' };
const TARGET = { type: 'profile', id: 'profile-1' };

class Records implements AuditedAuthorizeStore {
  chains = new Map<string, AuditDraft[]>();
  /** Writes in order: "append <org> <action> <outcome>", "stale <org>". */
  steps: string[] = [];

  appendAudit = async (orgId: string, draft: AuditDraft) => {
    const chain = this.chains.get(orgId) ?? [];
    chain.push(structuredClone(draft));
    this.chains.set(orgId, chain);
    this.steps.push(`append ${orgId} ${draft.action} ${draft.outcome}`);
    return sealEntry(draft, chain.length, GENESIS_HASH, NOW);
  };
  markStale = async (retailerId: string) => void this.steps.push(`stale ${retailerId}`);
}

const officer = (): Caller => ({ ...callerAs('police', 'PoliceOfficer'), purpose: PURPOSE });

function world() {
  const records = new Records();
  return { records, ...auditedAuthorization(records) };
}

describe('authorizeAudited', () => {
  it('lets a permitted caller through and writes nothing', async () => {
    const { records, authorizeAudited } = world();
    await authorizeAudited(callerAs('shop', 'RetailerAdmin'), 'profile.erase', 'retailer', TARGET);
    expect(records.steps).toEqual([]);
  });

  it('a refusal lands in the caller’s own chain as denied, with the refusal’s code, before the 403 goes out', async () => {
    const { records, authorizeAudited } = world();
    await expect(authorizeAudited(callerAs('shop', 'Reporter'), 'profile.erase', 'retailer', TARGET)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authorizeAudited(callerAs('shop', 'RetailerAdmin', false), 'profile.erase', 'retailer', TARGET)).rejects.toMatchObject({ code: 'MFA_REQUIRED' });
    expect(records.chains.get('shop')).toEqual([
      { actor: { sub: 'Reporter@shop', org: 'shop', roles: ['Reporter'] }, requestId: 'r1', action: 'profile.erase', target: TARGET, outcome: 'denied', details: { code: 'FORBIDDEN' } },
      expect.objectContaining({ actor: expect.objectContaining({ sub: 'RetailerAdmin@shop' }), outcome: 'denied', details: { code: 'MFA_REQUIRED' } }),
    ]);
  });

  it('a caller with no organisation, or one that does not exist, has no chain: refused without an entry', async () => {
    const { records, authorizeAudited } = world();
    const orgless: Caller = { principal: { ...callerAs('x', 'PlatformAdmin').principal, orgId: null }, requestId: 'r1' };
    await expect(authorizeAudited(orgless, 'profile.erase', null, TARGET)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authorizeAudited(callerAs('gone', 'RetailerAdmin'), 'profile.erase', null, TARGET)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.steps).toEqual([]);
  });

  it('a police officer refused leaves their purpose in their own agency’s chain, and no retailer’s tally is put behind', async () => {
    const { records, authorizeAudited } = world();
    await expect(authorizeAudited(officer(), 'profile.erase', 'agency', TARGET)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.chains.get('police')).toEqual([expect.objectContaining({ outcome: 'denied', details: { code: 'FORBIDDEN', ...PURPOSE } })]);
    expect(records.steps).toEqual(['append police profile.erase denied']);
  });
});

describe('auditFor', () => {
  it('appends what the caller did, with their actor and request id, as a success unless said otherwise, and answers the entry appended', async () => {
    const { records, auditFor } = world();
    const appended = await auditFor(callerAs('shop', 'Investigator'), 'shop', { action: 'profile.read', target: TARGET, details: { n: 1 } });
    await auditFor(callerAs('shop', 'Investigator'), 'shop', { action: 'profile.read', target: TARGET, outcome: 'denied' });
    expect(appended).toMatchObject({ seq: 1, action: 'profile.read', outcome: 'success', actor: { sub: 'Investigator@shop' }, requestId: 'r1', details: { n: 1 } });
    expect(records.chains.get('shop')![1]).toEqual({ actor: { sub: 'Investigator@shop', org: 'shop', roles: ['Investigator'] }, requestId: 'r1', action: 'profile.read', target: TARGET, outcome: 'denied' });
    expect(records.steps).not.toContain('stale shop');
  });

  it('a police read in a retailer’s chain carries the officer’s purpose and puts that retailer’s transparency tally behind, once the entry is in', async () => {
    const { records, auditFor } = world();
    await auditFor(officer(), 'shop', { action: 'event.read', target: { type: 'event', id: 'event-1' }, details: { n: 1 } });
    expect(records.chains.get('shop')).toEqual([expect.objectContaining({ details: { n: 1, ...PURPOSE } })]);
    expect(records.steps).toEqual(['append shop event.read success', 'stale shop']);
  });

  it('an officer’s entry in their own agency’s chain, and a retailer’s entry in a partner’s, put no tally behind', async () => {
    const { records, auditFor } = world();
    await auditFor(officer(), 'police', { action: 'police.request', target: { type: 'route', id: 'events-get' } });
    await auditFor(callerAs('shop', 'Investigator'), 'partner', { action: 'link.read', target: TARGET });
    expect(records.chains.get('police')).toEqual([expect.objectContaining({ details: PURPOSE })]);
    expect(records.steps).toEqual(['append police police.request success', 'append partner link.read success']);
  });
});
