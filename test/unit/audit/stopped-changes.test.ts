import { finishingEach, NOT_YET, type FinishChange } from '../../../shared/audit/audit-outbox';
import { ConflictError } from '../../../shared/domain/errors';
import type { AuditOutboxDoc } from '../../../shared/audit/audit-outbox-repository';
import type { AuditDraft } from '../../../shared/domain/audit-chain';
import { GIVE_UP_AFTER_MS } from '../../../shared/events/stopped-deletions';
import { stoppedChanges, type StoppedChangeStore } from '../../../shared/audit/stopped-changes';

/**
 * Which overdue outbox documents the sweep finishes a merge, a split or an erasure for, and what
 * their entries then say: the use cases themselves (finishStoppedMerge, finishStoppedSplit,
 * finishStoppedErasure) have their tests in test/unit/matching/link-decisions.test.ts,
 * merge-split.test.ts and test/unit/privacy/erasure-use-cases.test.ts; against the emulators, under
 * store faults, in test/integration/app/stopped-changes-faults.test.ts.
 */
const NOW = new Date('2026-12-07T12:00:00Z');

function outboxDoc(action: string, target: { type: string; id: string }, details: Record<string, unknown>, ageMs = 10 * 60_000): AuditOutboxDoc {
  const draft: AuditDraft = { actor: { sub: 'inv-1', org: 'shop', roles: ['Investigator'] }, action, target, outcome: 'success', requestId: 'r1', details } as AuditDraft;
  return { id: `outbox:${action}`, orgId: 'shop', docType: 'audit-outbox', draft, createdAt: new Date(NOW.getTime() - ageMs).toISOString() } as AuditOutboxDoc;
}

function store(answers: Partial<Record<'merge' | 'split' | 'erase', boolean | Error>> = {}) {
  const calls: string[] = [];
  const answer = (kind: 'merge' | 'split' | 'erase', retailerId: string, id: string) => {
    calls.push(`${kind} ${retailerId} ${id}`);
    const a = answers[kind] ?? true;
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  };
  const records: StoppedChangeStore = {
    finishStoppedMerge: (r, id) => answer('merge', r, id),
    finishStoppedSplit: (r, id) => answer('split', r, id),
    finishStoppedErasure: (r, id) => answer('erase', r, id),
  };
  return { calls, finish: stoppedChanges(records) };
}

const accept = (details: Record<string, unknown> = { merged: true }, age?: number) => outboxDoc('link.accept', { type: 'link', id: 'l1' }, details, age);
const split = (age?: number) => outboxDoc('profile.split', { type: 'profile', id: 'p1' }, { linkId: 'l1', restoredProfileId: 'p2' }, age);
const erase = (age?: number) => outboxDoc('profile.erase', { type: 'profile', id: 'p3' }, { eventIds: ['e1'] }, age);
/** What the entry says once the sweep is done with it (NOT_YET: left for the next run). */
const said = async (finish: FinishChange, doc: AuditOutboxDoc) => {
  const c = await finish(doc, NOW);
  return typeof c === 'function' ? c(doc.draft).details : c;
};

describe('merges, splits and erasures finished by the audit outbox sweep', () => {
  it('an accepted merge and a split are finished by their suggestion, an erasure by its profile, and their entries say the sweep finished them', async () => {
    const { calls, finish } = store();
    expect(await said(finish, accept())).toEqual({ merged: true, finishedBySweep: true });
    expect(await said(finish, split())).toEqual({ linkId: 'l1', restoredProfileId: 'p2', finishedBySweep: true });
    expect(await said(finish, erase())).toEqual({ eventIds: ['e1'], finishedBySweep: true });
    expect(calls).toEqual(['merge shop l1', 'split shop l1', 'erase shop p3']);
  });

  it('nothing left to finish: the entry goes as it was written', async () => {
    const { finish } = store({ merge: false, split: false, erase: false });
    expect(await finish(accept(), NOW)).toBeUndefined();
    expect(await finish(split(), NOW)).toBeUndefined();
    expect(await finish(erase(), NOW)).toBeUndefined();
  });

  it('passes by what is none of them: a rejection, an acceptance across retailers (nothing merges), a partner entry, a deletion, a split without its suggestion, a refused erasure', async () => {
    const { calls, finish } = store();
    const others = [
      outboxDoc('link.reject', { type: 'link', id: 'l1' }, { merged: false }),
      accept({ merged: false }),
      accept({ relation: 'partner', candidateProfileId: 'p9' }),
      outboxDoc('event.delete', { type: 'event', id: 'e1' }, {}),
      outboxDoc('profile.split', { type: 'profile', id: 'p1' }, {}),
      { ...erase(), draft: { ...erase().draft, outcome: 'denied' } } as AuditOutboxDoc,
    ];
    for (const doc of others) expect(await finish(doc, NOW)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('one refused for now (409) is left for the next run without failing this one; one that fails otherwise fails to the drain; after GIVE_UP_AFTER_MS either goes in saying it was left unfinished', async () => {
    const busy = new ConflictError('PROFILE_BUSY', 'Profile p1 is being merged, split or erased by another request');
    const refused = store({ merge: busy, split: busy, erase: busy });
    expect([await said(refused.finish, accept()), await said(refused.finish, split(GIVE_UP_AFTER_MS - 60_000)), await said(refused.finish, erase())]).toEqual([NOT_YET, NOT_YET, NOT_YET]);
    const failing = store({ merge: new Error('store unavailable'), erase: new Error('store unavailable') });
    await expect(failing.finish(accept(), NOW)).rejects.toThrow('store unavailable');
    await expect(failing.finish(erase(), NOW)).rejects.toThrow('store unavailable');
    for (const { finish } of [refused, failing]) {
      expect(await said(finish, accept(undefined, GIVE_UP_AFTER_MS + 60_000))).toEqual({ merged: true, leftUnfinished: true });
      expect(await said(finish, erase(GIVE_UP_AFTER_MS + 60_000))).toEqual({ eventIds: ['e1'], leftUnfinished: true });
    }
    expect(await said(refused.finish, split(GIVE_UP_AFTER_MS + 60_000))).toEqual({ linkId: 'l1', restoredProfileId: 'p2', leftUnfinished: true });
    // Asked for and not done: a failure in the chain, not a success.
    const given = await refused.finish(erase(GIVE_UP_AFTER_MS + 60_000), NOW);
    expect(typeof given === 'function' && given(erase().draft).outcome).toBe('failure');
  });

  it('an erasure held by a legal hold waits the hour, then goes in left unfinished; a merge whose survivor went is given up at once', async () => {
    const held = store({ erase: new ConflictError('LEGAL_HOLD', 'held') });
    expect([await said(held.finish, erase()), await said(held.finish, erase(GIVE_UP_AFTER_MS + 60_000))]).toEqual([NOT_YET, { eventIds: ['e1'], leftUnfinished: true }]);
    const stale = store({ merge: new ConflictError('STALE_SUGGESTION', 'gone') });
    expect(await said(stale.finish, accept())).toEqual({ merged: true, leftUnfinished: true });
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
