import { linkDecisions, type LinkDecisionStore } from '../../../shared/matching/link-use-cases';
import type { Link } from '../../../shared/matching/link-repository';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError, PreconditionFailedError } from '../../../shared/domain/errors';
import { Leases } from '../support/leases';
import { withProfileLeases } from '../../../shared/matching/profile-leases';

/**
 * Deciding a link suggestion on its own, over links and profiles in memory with ETags, recording
 * what it merges and which audit entries it settles. The same decisions run against the emulator
 * in test/integration/app/matching*.test.ts and profile-split.test.ts.
 */
class Records implements LinkDecisionStore {
  links = new Map<string, { link: Link; etag: string }>();
  profiles = new Set<string>();
  merges: string[] = [];
  outbox = new Map<string, Omit<OutboxEntry, 'where'>>();
  appended: string[] = [];
  refuse = false;
  /** The next replace meets a link changed since it was read: another investigator decided it first, so. */
  raceNextReplace: 'accepted' | 'rejected' | undefined;
  leases = new Leases();
  /** Suggestions other retailers hold (id → retailer), and the denied entries written in their chains. */
  elsewhere = new Map<string, string>();
  outsiders: string[] = [];
  linkOwner = (id: string) => Promise.resolve(this.elsewhere.get(id));
  audit = (_c: Caller, orgId: string, entry: { action: string; outcome?: string }) => Promise.resolve(void this.outsiders.push(`${entry.action} ${entry.outcome} in ${orgId}`));
  exclusively = <T>(r: string, ids: readonly string[], holder: string, work: () => Promise<T>) => withProfileLeases(this.leases, r, ids, holder, work);

  authorize = (_caller: Caller, _id: string) => (this.refuse ? Promise.reject(new ForbiddenError('no')) : Promise.resolve());
  readLink = (_r: string, id: string) => Promise.resolve(this.links.get(id) && structuredClone(this.links.get(id)!));
  profileExists = (_r: string, id: string) => Promise.resolve(this.profiles.has(id));
  replaceLink = (_r: string, link: Link, etag: string, audit: Omit<OutboxEntry, 'where'>[]) => {
    const stored = this.links.get(link.id);
    if (this.raceNextReplace && stored) {
      this.links.set(link.id, { link: { ...stored.link, status: this.raceNextReplace, decision: { by: 'inv-2', at: stored.link.createdAt } }, etag: `${stored.etag}*` });
      this.raceNextReplace = undefined;
    }
    if (!stored || this.links.get(link.id)!.etag !== etag) return Promise.reject(new PreconditionFailedError());
    this.links.set(link.id, { link: structuredClone(link), etag: `${etag}+` });
    for (const a of audit) this.outbox.set(a.key, a);
    return Promise.resolve();
  };
  /** What an appended entry is called here: its action, and the chain when it is another's. */
  private named = (entry: Omit<OutboxEntry, 'where'>) => (entry.chain ? `${entry.draft.action} in ${entry.chain}` : entry.draft.action);
  merge = (_r: string, link: Link, by: string) => {
    this.merges.push(`${link.subject.profileId}->${link.candidate.profileId} by ${by}`);
    return Promise.resolve();
  };
  /** Profiles either side of a merge whose split was started and not finished, by the suggestion of that merge. */
  splitting = new Map<string, string>();
  splitsUnderWay = (_r: string, ids: readonly string[]) => Promise.resolve(ids.filter((id) => this.splitting.has(id)).map((id) => ({ linkId: this.splitting.get(id)!, intoId: id })));
  /** Retailers this one shares with (an active agreement). */
  partners = new Set<string>(['partner-shop']);
  matchesAcross = (_r: string, partnerId: string) => Promise.resolve(this.partners.has(partnerId));
  /** Events of any retailer that are sensitive (or gone): never shown outside it. */
  hidden = new Set<string>();
  openEventIds = (_r: string, ids: readonly string[]) => Promise.resolve(ids.filter((id) => !this.hidden.has(id)));
  settleAudit = (_r: string, key: string) => {
    const left = this.outbox.get(key);
    if (left) {
      this.appended.push(this.named(left));
      this.outbox.delete(key);
    }
    return Promise.resolve();
  };
}

const investigator: Caller = { principal: { sub: 'inv-1', orgId: 'shop', roles: ['Investigator'], stores: null, mfa: false }, requestId: 'r1' };

function world(candidateRetailer = 'shop') {
  const records = new Records();
  const link: Link = {
    id: 'l1',
    status: 'pending',
    score: 14,
    probability: 0.97,
    comparison: undefined,
    subject: { eventId: 'e2', personRef: 'p1', profileId: 'prof-2' },
    candidate: { profileId: 'prof-1', retailerId: candidateRetailer, eventIds: ['e1'] },
    reasons: [{ signal: 'name', detail: 'same name', weight: 8 }],
    createdAt: '2026-12-01T00:00:00.000Z',
  };
  records.links.set('l1', { link, etag: '"1"' });
  records.profiles.add('prof-1').add('prof-2');
  return { records, ...linkDecisions(records) };
}

describe('deciding a link suggestion, over in-memory records', () => {
  it('accepting a pair of one retailer records the decision with its entry, merges the profiles, then appends the entry', async () => {
    const { records, decide } = world();
    const view = await decide(investigator, 'l1', { decision: 'accept', note: 'same tattoo' }, new Date('2026-12-04T10:00:00Z'));
    expect(view).toMatchObject({ status: 'accepted', decision: { by: 'inv-1', at: '2026-12-04T10:00:00.000Z', note: 'same tattoo' } });
    expect(view).not.toHaveProperty('comparison');
    expect(records.links.get('l1')!.link.status).toBe('accepted');
    expect(records.merges).toEqual(['prof-2->prof-1 by inv-1']);
    expect(records.appended).toEqual(['link.accept']);
    expect(records.outbox.size).toBe(0);
  });

  it('while a split of a merge of either profile is stopped part-way, accepting is 409 SPLIT_UNFINISHED naming that merge, and changes nothing', async () => {
    const { records, decide } = world();
    records.splitting.set('prof-1', 'l0');
    await expect(decide(investigator, 'l1', { decision: 'accept' })).rejects.toMatchObject({ code: 'SPLIT_UNFINISHED', message: expect.stringContaining('POST /api/v1/profiles/prof-1/split with linkId l0') });
    expect([records.links.get('l1')!.link.status, records.merges, records.appended]).toEqual(['pending', [], []]);
    // Rejecting merges nothing: it stands.
    expect((await decide(investigator, 'l1', { decision: 'reject' })).status).toBe('rejected');
  });

  it('a retry of the same decision after a crash finishes the merge and the entry, once, and answers as the first would have', async () => {
    const { records, decide } = world();
    // The first attempt stored the decision with its entry, then died before the merge.
    const stored = records.links.get('l1')!;
    await records.replaceLink('shop', { ...stored.link, status: 'accepted', decision: { by: 'inv-1', at: 'then' } }, stored.etag, [{ key: 'link.accept@l1', draft: { action: 'link.accept' } as never }]);
    const retry = await decide({ ...investigator, principal: { ...investigator.principal, sub: 'inv-2' } }, 'l1', { decision: 'accept' });
    expect(retry).toMatchObject({ status: 'accepted', decision: { by: 'inv-1', at: 'then' } });
    // Merged in the name of who decided, not of who retried.
    expect(records.merges).toEqual(['prof-2->prof-1 by inv-1']);
    expect(records.appended).toEqual(['link.accept']);
    await decide(investigator, 'l1', { decision: 'accept' });
    expect(records.appended).toEqual(['link.accept']);
  });

  it('a merge whose request stopped after the decision is finished by the sweep (finishStoppedMerge) as a retry would, leaving the entry to the sweep', async () => {
    const { records, finishStoppedMerge } = world();
    const stored = records.links.get('l1')!;
    await records.replaceLink('shop', { ...stored.link, status: 'accepted', decision: { by: 'inv-1', at: 'then' } }, stored.etag, [{ key: 'link.accept@l1', draft: { action: 'link.accept' } as never }]);
    // While a split of a merge of either profile is stopped part-way: refused, so the sweep tries again after that split is finished.
    records.splitting.set('prof-2', 'l0');
    await expect(finishStoppedMerge('shop', 'l1', new Date())).rejects.toMatchObject({ code: 'SPLIT_UNFINISHED' });
    expect(records.merges).toEqual([]);
    records.splitting.clear();
    expect(await finishStoppedMerge('shop', 'l1', new Date())).toBe(true);
    expect(records.merges).toEqual(['prof-2->prof-1 by inv-1']);
    // The sweep appends the entry itself, saying who finished it.
    expect([records.appended, [...records.outbox.keys()]]).toEqual([[], ['link.accept@l1']]);
    // The folded profile gone (the merge was done): run again, it says there was nothing left to fold.
    records.profiles.delete('prof-2');
    expect(await finishStoppedMerge('shop', 'l1', new Date())).toBe(false);
    // Leases another merge, split or erasure holds: 409 PROFILE_BUSY, nothing merged.
    records.profiles.add('prof-2');
    records.merges = [];
    await records.leases.takeProfileLease('shop', 'prof-1', 'erase:prof-1', new Date(Date.now() + 60_000), new Date());
    await expect(finishStoppedMerge('shop', 'l1', new Date())).rejects.toMatchObject({ code: 'PROFILE_BUSY' });
    expect(records.merges).toEqual([]);
  });

  it('a stopped merge whose survivor went since (erased, or merged into another) is not finished, by the sweep or a retry: its id would come back holding the reports not yet moved', async () => {
    const { records, decide, finishStoppedMerge } = world();
    const stored = records.links.get('l1')!;
    await records.replaceLink('shop', { ...stored.link, status: 'accepted', decision: { by: 'inv-1', at: 'then' } }, stored.etag, [{ key: 'link.accept@l1', draft: { action: 'link.accept' } as never }]);
    records.profiles.delete('prof-1');
    await expect(finishStoppedMerge('shop', 'l1', new Date())).rejects.toMatchObject({ code: 'STALE_SUGGESTION' });
    await expect(decide(investigator, 'l1', { decision: 'accept' })).rejects.toMatchObject({ code: 'STALE_SUGGESTION' });
    expect(records.merges).toEqual([]);
    // Both gone (the merge had finished, then the survivor went): nothing to bring back, the retry is answered as before.
    records.profiles.delete('prof-2');
    expect(await finishStoppedMerge('shop', 'l1', new Date())).toBe(false);
  });

  it('a suggestion that a split rejected while the sweep waited for the leases is not merged again', async () => {
    const { records, finishStoppedMerge } = world();
    records.links.get('l1')!.link.status = 'accepted';
    const take = records.exclusively;
    records.exclusively = (r, ids, holder, work) => {
      records.links.get('l1')!.link.status = 'rejected';
      return take(r, ids, holder, work);
    };
    expect(await finishStoppedMerge('shop', 'l1', new Date())).toBe(false);
    expect(records.merges).toEqual([]);
  });

  it('the sweep merges nothing for a suggestion pending, rejected (a split undid its merge) or across retailers', async () => {
    for (const [status, retailer] of [['pending', 'shop'], ['rejected', 'shop'], ['accepted', 'partner-shop']] as const) {
      const { records, finishStoppedMerge } = world(retailer);
      records.links.get('l1')!.link.status = status;
      expect(await finishStoppedMerge('shop', 'l1', new Date())).toBe(false);
      expect(records.merges).toEqual([]);
    }
  });

  it('rejecting merges nothing and is remembered: accepting later is 409 ALREADY_DECIDED', async () => {
    const { records, decide } = world();
    await decide(investigator, 'l1', { decision: 'reject' });
    expect(records.merges).toEqual([]);
    expect(records.appended).toEqual(['link.reject']);
    await expect(decide(investigator, 'l1', { decision: 'accept' })).rejects.toMatchObject({ kind: 'conflict', code: 'ALREADY_DECIDED' });
  });

  it("accepting a pair across retailers records the link and merges nothing: no profile crosses tenants, nor a sensitive event's id", async () => {
    const { records, decide } = world('partner-shop');
    records.profiles.delete('prof-1');
    // The partner's event made sensitive since the suggestion: the answer does not name it.
    records.hidden.add('e1');
    await expect(decide(investigator, 'l1', { decision: 'accept' })).resolves.toMatchObject({ status: 'accepted', candidate: { eventIds: [] } });
    expect(records.merges).toEqual([]);
    // The decision on the partner's person is in the partner's chain too, its entry in the decision's batch: appended once, a retry appends nothing more.
    expect(records.appended).toEqual(['link.accept', 'link.accept in partner-shop']);
    await decide(investigator, 'l1', { decision: 'accept' });
    expect(records.appended).toHaveLength(2);
    // A first attempt that died after the decision's batch: a retry appends both entries, each once.
    const crashed = world('partner-shop');
    const left = crashed.records.links.get('l1')!;
    await crashed.records.replaceLink('shop', { ...left.link, status: 'accepted', decision: { by: 'inv-1', at: 'then' } }, left.etag, [
      { key: 'link.accept@l1', draft: { action: 'link.accept' } as never },
      { key: 'link.accept.partner@l1', chain: 'partner-shop', draft: { action: 'link.accept' } as never },
    ]);
    await crashed.decide(investigator, 'l1', { decision: 'accept' });
    await crashed.decide(investigator, 'l1', { decision: 'accept' });
    expect(crashed.records.appended).toEqual(['link.accept', 'link.accept in partner-shop']);
  });

  it('across retailers that no longer share, accepting is 409 AGREEMENT_NOT_ACTIVE and writes nothing; rejecting still stands', async () => {
    const revoked = world('partner-shop');
    revoked.records.partners.clear();
    await expect(revoked.decide(investigator, 'l1', { decision: 'accept' })).rejects.toMatchObject({ kind: 'conflict', code: 'AGREEMENT_NOT_ACTIVE' });
    expect(revoked.records.links.get('l1')!.link.status).toBe('pending');
    expect(revoked.records.appended).toEqual([]);
    await expect(revoked.decide(investigator, 'l1', { decision: 'reject' })).resolves.toMatchObject({ status: 'rejected' });
  });

  it('refuses, writing nothing: a profile gone since (409 STALE_SUGGESTION), a sensitive note (422), an unknown link (404), a caller who may not decide', async () => {
    const gone = world();
    gone.records.profiles.delete('prof-1');
    await expect(gone.decide(investigator, 'l1', { decision: 'accept' })).rejects.toMatchObject({ kind: 'conflict', code: 'STALE_SUGGESTION' });
    const sensitive = world();
    await expect(sensitive.decide(investigator, 'l1', { decision: 'reject', note: 'he looked Muslim' })).rejects.toMatchObject({ kind: 'unprocessable' });
    const unknown = world();
    await expect(unknown.decide(investigator, 'nope', { decision: 'reject' })).rejects.toMatchObject({ kind: 'not-found' });
    // Another retailer's suggestion: 404 too, and the attempt in that retailer's chain.
    unknown.records.elsewhere.set('theirs', 'other-shop');
    await expect(unknown.decide(investigator, 'theirs', { decision: 'accept' })).rejects.toMatchObject({ kind: 'not-found' });
    expect(unknown.records.outsiders).toEqual(['link.decide denied in other-shop']);
    const refused = world();
    refused.records.refuse = true;
    await expect(refused.decide(investigator, 'l1', { decision: 'accept' })).rejects.toMatchObject({ kind: 'forbidden' });
    for (const w of [gone, sensitive, unknown, refused]) {
      expect(w.records.links.get('l1')!.link.status).toBe('pending');
      expect([w.records.merges, w.records.appended]).toEqual([[], []]);
    }
  });

  it('two investigators deciding at once: the one whose replace meets the link decided meanwhile is answered as it now stands (no If-Match was asked of them)', async () => {
    const other = world();
    other.records.raceNextReplace = 'rejected';
    await expect(other.decide(investigator, 'l1', { decision: 'accept' })).rejects.toMatchObject({ code: 'ALREADY_DECIDED' });
    expect([other.records.merges, other.records.appended]).toEqual([[], []]);
    // The same decision: 200, as a retry of the one that won (its merge finished, its entry appended once).
    const same = world();
    same.records.raceNextReplace = 'accepted';
    await expect(same.decide(investigator, 'l1', { decision: 'accept' })).resolves.toMatchObject({ status: 'accepted', decision: { by: 'inv-2' } });
    // Its note is screened all the same: 200 only for a note it could have stored.
    const noted = world();
    noted.records.raceNextReplace = 'rejected';
    await expect(noted.decide(investigator, 'l1', { decision: 'reject' })).resolves.toMatchObject({ status: 'rejected', decision: { by: 'inv-2' } });
    await expect(noted.decide(investigator, 'l1', { decision: 'reject', note: 'staff say he is a Sikh' })).rejects.toMatchObject({ code: 'SENSITIVE_TEXT' });
  });
});
