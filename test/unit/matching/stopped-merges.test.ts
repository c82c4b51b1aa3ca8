import { finishingEach, type FinishChange } from '../../../shared/audit/audit-outbox';
import type { AuditOutboxDoc } from '../../../shared/audit/audit-outbox-repository';
import type { AuditDraft } from '../../../shared/domain/audit-chain';
import { GIVE_UP_AFTER_MS } from '../../../shared/events/stopped-deletions';
import { stoppedMerges, type StoppedMergeStore } from '../../../shared/matching/stopped-merges';

/**
 * Which overdue outbox documents the sweep finishes a merge or a split for, and what their entries
 * then say: the use cases themselves (finishStoppedMerge, finishStoppedSplit) have their tests in
 * link-decisions.test.ts and merge-split.test.ts; against the emulators, under store faults, in
 * test/integration/app/merge-split-faults.test.ts.
 */
const NOW = new Date('2026-12-07T12:00:00Z');

function outboxDoc(action: string, target: { type: string; id: string }, details: Record<string, unknown>, ageMs = 10 * 60_000): AuditOutboxDoc {
  const draft: AuditDraft = { actor: { sub: 'inv-1', org: 'shop', roles: ['Investigator'] }, action, target, outcome: 'success', requestId: 'r1', details } as AuditDraft;
  return { id: `outbox:${action}`, orgId: 'shop', docType: 'audit-outbox', draft, createdAt: new Date(NOW.getTime() - ageMs).toISOString() } as AuditOutboxDoc;
}

function store(answers: Partial<Record<'merge' | 'split', boolean | Error>> = {}) {
  const calls: string[] = [];
  const answer = (kind: 'merge' | 'split', retailerId: string, linkId: string) => {
    calls.push(`${kind} ${retailerId} ${linkId}`);
    const a = answers[kind] ?? true;
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  };
  const records: StoppedMergeStore = {
    finishStoppedMerge: (r, id) => answer('merge', r, id),
    finishStoppedSplit: (r, id) => answer('split', r, id),
  };
  return { calls, finish: stoppedMerges(records) };
}

const accept = (details: Record<string, unknown> = { merged: true }, age?: number) => outboxDoc('link.accept', { type: 'link', id: 'l1' }, details, age);
const split = (age?: number) => outboxDoc('profile.split', { type: 'profile', id: 'p1' }, { linkId: 'l1', restoredProfileId: 'p2' }, age);
const said = async (finish: FinishChange, doc: AuditOutboxDoc) => (await finish(doc, NOW))?.(doc.draft).details;

describe('merges and splits finished by the audit outbox sweep', () => {
  it('an accepted merge and a split are finished by their suggestion, and their entries say the sweep finished them', async () => {
    const { calls, finish } = store();
    expect(await said(finish, accept())).toEqual({ merged: true, finishedBySweep: true });
    expect(await said(finish, split())).toEqual({ linkId: 'l1', restoredProfileId: 'p2', finishedBySweep: true });
    expect(calls).toEqual(['merge shop l1', 'split shop l1']);
  });

  it('nothing left to finish: the entry goes as it was written', async () => {
    const { finish } = store({ merge: false, split: false });
    expect(await finish(accept(), NOW)).toBeUndefined();
    expect(await finish(split(), NOW)).toBeUndefined();
  });

  it('passes by what is not a merge or a split: a rejection, an acceptance across retailers (nothing merges), a partner entry, a deletion', async () => {
    const { calls, finish } = store();
    const others = [
      outboxDoc('link.reject', { type: 'link', id: 'l1' }, { merged: false }),
      accept({ merged: false }),
      accept({ relation: 'partner', candidateProfileId: 'p9' }),
      outboxDoc('event.delete', { type: 'event', id: 'e1' }, {}),
      outboxDoc('profile.split', { type: 'profile', id: 'p1' }, {}),
    ];
    for (const doc of others) expect(await finish(doc, NOW)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('one that cannot be finished yet stays for the next run (the error goes to the drain); after GIVE_UP_AFTER_MS its entry goes, saying it was left unfinished', async () => {
    const busy = Object.assign(new Error('Profile p1 is being merged, split or erased by another request'), { code: 'PROFILE_BUSY' });
    const { finish } = store({ merge: busy, split: busy });
    await expect(finish(accept(), NOW)).rejects.toThrow('being merged');
    await expect(finish(split(GIVE_UP_AFTER_MS - 60_000), NOW)).rejects.toThrow('being merged');
    expect(await said(finish, accept(undefined, GIVE_UP_AFTER_MS + 60_000))).toEqual({ merged: true, leftUnfinished: true });
    expect(await said(finish, split(GIVE_UP_AFTER_MS + 60_000))).toEqual({ linkId: 'l1', restoredProfileId: 'p2', leftUnfinished: true });
  });

  it('finishingEach asks each finisher in turn and keeps the first that finished', async () => {
    const asked: string[] = [];
    const finisher =
      (name: string, finishes: string): FinishChange =>
      async (doc) => {
        asked.push(name);
        return doc.draft.action === finishes ? (d) => ({ ...d, details: { by: name } }) : undefined;
      };
    const both = finishingEach(finisher('deletions', 'event.delete'), finisher('merges', 'link.accept'));
    expect(await said(both, accept())).toEqual({ by: 'merges' });
    expect(await said(both, outboxDoc('event.delete', { type: 'event', id: 'e1' }, {}))).toEqual({ by: 'deletions' });
    expect(await both(split(), NOW)).toBeUndefined();
    expect(asked).toEqual(['deletions', 'merges', 'deletions', 'deletions', 'merges']);
  });
});
