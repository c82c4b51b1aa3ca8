import { accessReviews, type AccessReviewStore } from '../../../shared/orgs/access-review';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import type { AuditEntry } from '../../../shared/domain/audit-chain';
import type { OrgType } from '../../../shared/domain/organisation';
import { ForbiddenError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * A supervisor's access review on its own, over agencies' chains in memory: which period a query
 * means (the default 30 days, a date alone as the whole day), that only the agency's own police
 * entries are read, and that the review is itself recorded. How officers' entries fold into rows
 * is officerUse's (the domain); the whole through HTTP in test/integration/app/police-accountability.test.ts.
 */
const NOW = new Date('2026-12-01T09:00:00.000Z');

class Records implements AccessReviewStore {
  chains: { orgId: string; entry: AuditEntry }[] = [];
  reads: { agencyId: string; actions: string[]; from: string; to: string }[] = [];
  entries: { orgId: string; entry: AuditOf }[] = [];
  orgTypes = new Map<string, OrgType>([
    ['police', 'agency'],
    ['other-police', 'agency'],
    ['shop', 'retailer'],
  ]);
  table = new TableAuthorizer((org) => this.orgTypes.get(org));

  authorize = (caller: Caller, agencyId: string) => this.table.check(caller, 'access-review.read', agencyId);
  async *readActionsBetween(agencyId: string, actions: string[], from: string, to: string): AsyncIterable<AuditEntry> {
    this.reads.push({ agencyId, actions, from, to });
    for (const { orgId, entry } of this.chains) if (orgId === agencyId && actions.includes(entry.action) && entry.at >= from && entry.at <= to) yield structuredClone(entry);
  }
  audit = async (_caller: Caller, orgId: string, entry: AuditOf) => void this.entries.push({ orgId, entry });

  /** An entry in an organisation's chain, by an officer at a time. */
  add(orgId: string, officer: string, at: string, action = 'police.request', more: Partial<AuditEntry> = {}): void {
    const seq = this.chains.filter((c) => c.orgId === orgId).length + 1;
    const entry: AuditEntry = {
      seq,
      at,
      actor: { sub: officer, org: orgId, roles: ['PoliceOfficer'] },
      action,
      target: { type: 'route', id: 'events-get' },
      outcome: 'success',
      requestId: `r${seq}`,
      details: action === 'police.request' ? { legalBasis: 'investigation', caseReference: 'C-1' } : {},
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
      ...more,
    };
    this.chains.push({ orgId, entry });
  }
}

const supervisor = (orgId = 'police') => callerAs(orgId, 'PoliceSupervisor');

function world() {
  const records = new Records();
  return { records, accessReview: accessReviews(records) };
}

describe('a supervisor’s access review, over chains in memory', () => {
  it('by default covers the 30 days up to now, reads only the agency’s police requests and refusals, and records the review with its period', async () => {
    const { records, accessReview } = world();
    records.add('police', 'officer-a', '2026-11-30T10:00:00.000Z');
    records.add('police', 'officer-a', '2026-11-30T11:00:00.000Z', 'police.read', { outcome: 'denied' });
    records.add('police', 'officer-b', '2026-11-01T09:00:00.000Z');
    records.add('police', 'officer-c', '2026-11-01T08:59:59.999Z');
    records.add('police', 'officer-d', '2026-11-30T10:00:00.000Z', 'event.read');
    records.add('other-police', 'officer-e', '2026-11-30T10:00:00.000Z');
    const review = await accessReview(supervisor(), {}, NOW);
    expect(review).toMatchObject({ agencyId: 'police', from: '2026-11-01T09:00:00.000Z', to: NOW.toISOString() });
    expect(review.officers.map((o) => [o.officer, o.requests, o.withoutPurpose])).toEqual([
      ['officer-a', 1, 1],
      ['officer-b', 1, 0],
    ]);
    expect(records.reads).toEqual([{ agencyId: 'police', actions: ['police.request', 'police.read'], from: review.from, to: review.to }]);
    expect(records.entries).toEqual([
      { orgId: 'police', entry: { action: 'access-review.read', target: { type: 'access-review', id: 'police' }, details: { from: review.from, to: review.to, officers: 2 } } },
    ]);
  });

  it('a `to` given as a date alone means the whole of that day, and the 30 days run back from its end', async () => {
    const { records, accessReview } = world();
    records.add('police', 'officer-late', '2026-11-15T23:59:59.999Z');
    records.add('police', 'officer-next-day', '2026-11-16T00:00:00.000Z');
    const review = await accessReview(supervisor(), { to: '2026-11-15' }, NOW);
    expect(review).toMatchObject({ from: '2026-10-16T23:59:59.999Z', to: '2026-11-15T23:59:59.999Z' });
    expect(review.officers.map((o) => o.officer)).toEqual(['officer-late']);
  });

  it('a `to` with a time is that instant (in UTC); a `from` is taken as given, a date alone from the start of its day', async () => {
    const { records, accessReview } = world();
    records.add('police', 'officer-before', '2026-10-31T23:59:59.999Z');
    records.add('police', 'officer-in', '2026-11-01T00:00:00.000Z');
    records.add('police', 'officer-after', '2026-11-14T21:00:00.001Z');
    const review = await accessReview(supervisor(), { from: '2026-11-01', to: '2026-11-15T10:00:00+13:00' }, NOW);
    expect(review).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-14T21:00:00.000Z' });
    expect(review.officers.map((o) => o.officer)).toEqual(['officer-in']);
  });

  it('a period without police entries answers no officers, and the review is still recorded', async () => {
    const { records, accessReview } = world();
    records.add('other-police', 'officer-e', '2026-11-30T10:00:00.000Z');
    expect((await accessReview(supervisor(), {}, NOW)).officers).toEqual([]);
    expect(records.entries).toEqual([expect.objectContaining({ orgId: 'police', entry: expect.objectContaining({ details: expect.objectContaining({ officers: 0 }) }) })]);
  });

  it('anyone but a supervisor of an agency is refused before anything is read, and no review is recorded', async () => {
    const { records, accessReview } = world();
    records.add('police', 'officer-a', '2026-11-30T10:00:00.000Z');
    for (const caller of [callerAs('police', 'PoliceOfficer'), callerAs('shop', 'PoliceSupervisor'), callerAs('shop', 'RetailerAdmin')]) {
      await expect(accessReview(caller, {}, NOW)).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(records.table.asked).toEqual(['access-review.read police', 'access-review.read shop', 'access-review.read shop']);
    expect(records.reads).toEqual([]);
    expect(records.entries).toEqual([]);
  });
});
