import { auditOutbox, NOT_YET, OUTBOX_OVERDUE_MS, type AuditOutboxStore } from '../../../shared/audit/audit-outbox';
import { auditOutboxId, type AuditOutboxDoc, type OutboxContainer } from '../../../shared/audit/audit-outbox-repository';
import type { AuditDraft } from '../../../shared/domain/audit-chain';

/**
 * The audit outbox over outbox documents, proof documents and chains in memory. When an entry is
 * appended, when it is not, and when its outbox document goes are its own; storage is faked as it
 * behaves: outbox documents live per container and partition, the overdue query answers those
 * written before the cutoff (at most `max` per container, each with the container it came from),
 * a chain "holds" a draft when an entry of its action, target, request and outcome is there, and a change
 * is stored when its proof document is (or it has none). The same paths run against the emulators
 * in test/integration/app/audit-outbox.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

const draft = (action: string, targetId: string, requestId = `req-${targetId}`): AuditDraft => ({
  actor: { sub: 'user-1', org: 'shop', roles: ['staff'] },
  action,
  target: { type: 'event', id: targetId },
  outcome: 'success',
  requestId,
});

class Records implements AuditOutboxStore {
  /** "where|org|id" → the outbox document. */
  outbox = new Map<string, AuditOutboxDoc>();
  /** "where|org|id" of documents that prove a change. */
  proofs = new Set<string>();
  /** Organisation → the drafts appended to its chain, in order. */
  chains = new Map<string, AuditDraft[]>();
  /** What changed, in order. */
  ops: string[] = [];
  queries: { cutoff: string; max: number; orgId?: string }[] = [];
  /** Targets whose append fails (a fault of the chain). */
  appendFails = new Set<string>();
  /** Outbox ids whose removal fails. */
  clearFails = new Set<string>();

  appendAudit = async (orgId: string, d: AuditDraft) => {
    if (this.appendFails.has(d.target.id)) throw new Error(`append of ${d.target.id} failed`);
    this.chain(orgId).push(structuredClone(d));
    this.ops.push(`append ${orgId} ${d.action} ${d.target.id}`);
  };
  chainHolds = async (orgId: string, d: AuditDraft) => this.chain(orgId).some((e) => e.action === d.action && e.target.id === d.target.id && e.requestId === d.requestId && e.outcome === d.outcome);
  changeStored = async (doc: AuditOutboxDoc) => !doc.proofId || this.proofs.has(`${doc.where ?? 'audit-outbox'}|${doc.orgId}|${doc.proofId}`);
  readAuditOutbox = async (orgId: string, key: string, where: OutboxContainer = 'audit-outbox') => structuredClone(this.outbox.get(`${where}|${orgId}|${auditOutboxId(key)}`));
  /** As a replace over the version read: the stored document's claim is the version here. */
  claimAuditOutbox = async (doc: AuditOutboxDoc, now: Date) => {
    const key = `${doc.where ?? 'audit-outbox'}|${doc.orgId}|${doc.id}`;
    const stored = this.outbox.get(key);
    if (!stored || stored.claimedAt !== doc.claimedAt) return false;
    this.outbox.set(key, { ...stored, claimedAt: now.toISOString(), proven: true });
    return true;
  };
  /** As a delete over the version read (the claim stands for the version here). */
  dropAuditOutbox = async (doc: AuditOutboxDoc) => {
    const key = `${doc.where ?? 'audit-outbox'}|${doc.orgId}|${doc.id}`;
    const stored = this.outbox.get(key);
    if (!stored || stored.claimedAt !== doc.claimedAt) return false;
    this.outbox.delete(key);
    this.ops.push(`clear ${doc.orgId} ${doc.id}`);
    return true;
  };
  clearAuditOutbox = async (orgId: string, entry: { key: string; where?: OutboxContainer } | AuditOutboxDoc) => {
    const id = 'key' in entry ? auditOutboxId(entry.key) : entry.id;
    if (this.clearFails.has(id)) throw Object.assign(new Error('Clearing the audit outbox failed with 503'), { code: 503 });
    this.outbox.delete(`${entry.where ?? 'audit-outbox'}|${orgId}|${id}`);
    this.ops.push(`clear ${orgId} ${id}`);
  };
  overdueAuditOutbox = async (cutoff: Date, max: number, orgId?: string) => {
    this.queries.push({ cutoff: cutoff.toISOString(), max, ...(orgId ? { orgId } : {}) });
    const found: AuditOutboxDoc[] = [];
    const byWhere = new Map<string, AuditOutboxDoc[]>();
    for (const [k, d] of this.outbox) {
      const where = k.split('|')[0]!;
      if (d.createdAt < cutoff.toISOString() && (orgId === undefined || d.orgId === orgId)) byWhere.set(where, [...(byWhere.get(where) ?? []), d]);
    }
    for (const [where, docs] of byWhere) found.push(...docs.slice(0, max).map((d) => ({ ...structuredClone(d), where: where as OutboxContainer })));
    return found;
  };

  chain(orgId: string): AuditDraft[] {
    return this.chains.get(orgId) ?? this.chains.set(orgId, []).get(orgId)!;
  }
  /** An outbox document as writeAudited or writeAuditOutbox leaves it. */
  left(orgId: string, key: string, d: AuditDraft, age: number, extra: { where?: OutboxContainer; chain?: string; proofId?: string } = {}): void {
    const doc: AuditOutboxDoc = { id: auditOutboxId(key), orgId, docType: 'audit-outbox', draft: d, ...extra, createdAt: ago(age) };
    this.outbox.set(`${extra.where ?? 'audit-outbox'}|${orgId}|${doc.id}`, doc);
  }
  proof(orgId: string, id: string, where: OutboxContainer = 'audit-outbox'): void {
    this.proofs.add(`${where}|${orgId}|${id}`);
  }
  drafts = (orgId: string) => this.chain(orgId).map((d) => `${d.action} ${d.target.id}`);
}

function world() {
  const records = new Records();
  let wallClock = NOW;
  /** Wall time moves on (settlers' claims lapse with it). */
  const tick = (ms: number) => void (wallClock = new Date(wallClock.getTime() + ms));
  return { records, tick, ...auditOutbox(records, () => wallClock) };
}

describe('the sweep', () => {
  test('an overdue outbox document is appended to its chain (the partition\'s, or the one it names), then removed; a young one is left to its request', async () => {
    const { records, drainAuditOutbox } = world();
    records.left('shop', 'k-event', draft('event.create', 'event-1'), 2 * OUTBOX_OVERDUE_MS, { where: 'audit-outbox' });
    records.left('shop', 'k-edge', draft('event.update', 'event-2'), OUTBOX_OVERDUE_MS + 1);
    records.left('pair', 'k-agreement', draft('agreement.accept', 'agreement-1'), 5 * OUTBOX_OVERDUE_MS, { where: 'agreements-audit-outbox', chain: 'partner' });
    records.left('shop', 'k-proved', draft('evidence.add', 'ev-1'), 5 * OUTBOX_OVERDUE_MS, { where: 'evidence-audit-outbox', proofId: 'ev-1' });
    records.proof('shop', 'ev-1', 'evidence-audit-outbox');
    records.left('shop', 'k-young', draft('event.update', 'event-3'), OUTBOX_OVERDUE_MS);
    expect(await drainAuditOutbox(NOW)).toEqual({ settled: 4, more: false });
    expect(records.queries).toEqual([{ cutoff: ago(OUTBOX_OVERDUE_MS), max: 500 }]);
    expect(records.drafts('shop')).toEqual(['event.create event-1', 'event.update event-2', 'evidence.add ev-1']);
    expect(records.drafts('partner')).toEqual(['agreement.accept agreement-1']);
    expect(records.drafts('pair')).toEqual([]);
    // Each entry goes in before its document is removed.
    expect(records.ops.slice(0, 2)).toEqual(['append shop event.create event-1', `clear shop ${auditOutboxId('k-event')}`]);
    expect([...records.outbox.keys()]).toEqual([`audit-outbox|shop|${auditOutboxId('k-young')}`]);
  });

  test('a change its request left part-done is finished before its entry goes in, as finishing completes it; one that fails to finish stays, without its entry', async () => {
    const { records, drainAuditOutbox } = world();
    records.left('shop', 'k-done', draft('event.delete', 'event-1'), 2 * OUTBOX_OVERDUE_MS);
    records.left('shop', 'k-stuck', draft('event.delete', 'event-2'), 2 * OUTBOX_OVERDUE_MS);
    records.left('shop', 'k-other', draft('event.update', 'event-3'), 2 * OUTBOX_OVERDUE_MS);
    const finish = async (doc: AuditOutboxDoc) => {
      records.ops.push(`finish ${doc.draft.target.id}`);
      if (doc.draft.target.id === 'event-2') throw new Error('the purge failed again');
      return doc.draft.action === 'event.delete' ? (d: AuditDraft) => ({ ...d, details: { profilesDeleted: 1 } }) : undefined;
    };
    await expect(drainAuditOutbox(NOW, undefined, finish)).rejects.toThrow('1 of 3 audit outbox documents could not be settled (the next run tries again): the purge failed again');
    expect(records.ops.slice(0, 2)).toEqual(['finish event-1', 'append shop event.delete event-1']);
    expect(records.chain('shop').map((d) => [d.target.id, d.details])).toEqual([
      ['event-1', { profilesDeleted: 1 }],
      ['event-3', undefined],
    ]);
    expect([...records.outbox.keys()]).toEqual([`audit-outbox|shop|${auditOutboxId('k-stuck')}`]);
  });

  test('a change its finisher cannot finish yet (NOT_YET) keeps its document and its entry waits, without failing the run', async () => {
    const { records, drainAuditOutbox } = world();
    records.left('shop', 'k-busy', draft('link.accept', 'link-1'), 2 * OUTBOX_OVERDUE_MS);
    records.left('shop', 'k-other', draft('event.update', 'event-3'), 2 * OUTBOX_OVERDUE_MS);
    const finish = async (doc: AuditOutboxDoc) => (doc.draft.action === 'link.accept' ? NOT_YET : undefined);
    expect(await drainAuditOutbox(NOW, undefined, finish)).toEqual({ settled: 1, more: false });
    expect(records.drafts('shop')).toEqual(['event.update event-3']);
    expect([...records.outbox.keys()]).toEqual([`audit-outbox|shop|${auditOutboxId('k-busy')}`]);
  });

  test('changes that keep failing to finish do not stop the run: the documents after them are settled', async () => {
    const { records, drainAuditOutbox } = world();
    for (const id of ['event-1', 'event-2', 'event-3', 'event-4']) records.left('shop', `k-${id}`, draft('event.delete', id), 2 * OUTBOX_OVERDUE_MS);
    records.left('shop', 'k-other', draft('event.update', 'event-5'), 2 * OUTBOX_OVERDUE_MS);
    const finish = async (doc: AuditOutboxDoc, now: Date) => {
      expect(now).toEqual(NOW);
      if (doc.draft.action === 'event.delete') throw new Error(`the purge of ${doc.draft.target.id} failed again`);
      return undefined;
    };
    await expect(drainAuditOutbox(NOW, undefined, finish)).rejects.toThrow('4 of 5 audit outbox documents could not be settled (the next run tries again)');
    expect(records.drafts('shop')).toEqual(['event.update event-5']);
  });

  test('a document whose change was never stored (no proof) is removed without an entry', async () => {
    const { records, drainAuditOutbox } = world();
    records.left('shop', 'k-lost', draft('evidence.add', 'ev-lost'), 2 * OUTBOX_OVERDUE_MS, { where: 'evidence-audit-outbox', proofId: 'ev-lost' });
    expect(await drainAuditOutbox(NOW)).toEqual({ settled: 1, more: false });
    expect(records.ops).toEqual([`clear shop ${auditOutboxId('k-lost')}`]);
    expect(records.chains.get('shop') ?? []).toEqual([]);
  });

  test('a document whose entry the chain already holds (a crash between append and removal) is removed, not appended twice', async () => {
    const { records, drainAuditOutbox } = world();
    records.chain('shop').push(draft('event.create', 'event-1'));
    records.left('shop', 'k-event', draft('event.create', 'event-1'), 2 * OUTBOX_OVERDUE_MS);
    // The same action on the same target by another request is another entry.
    records.left('shop', 'k-again', draft('event.create', 'event-1', 'req-other'), 2 * OUTBOX_OVERDUE_MS);
    expect(await drainAuditOutbox(NOW)).toEqual({ settled: 2, more: false });
    expect(records.ops).toEqual([`clear shop ${auditOutboxId('k-event')}`, 'append shop event.create event-1', `clear shop ${auditOutboxId('k-again')}`]);
    expect(records.chain('shop').map((d) => d.requestId)).toEqual(['req-event-1', 'req-other']);
  });

  test('a re-run finds nothing to do', async () => {
    const { records, drainAuditOutbox } = world();
    records.left('shop', 'k-event', draft('event.create', 'event-1'), 2 * OUTBOX_OVERDUE_MS);
    records.left('pair', 'k-agreement', draft('agreement.accept', 'agreement-1'), 2 * OUTBOX_OVERDUE_MS, { where: 'agreements-audit-outbox', chain: 'partner' });
    await drainAuditOutbox(NOW);
    records.ops = [];
    expect(await drainAuditOutbox(NOW)).toEqual({ settled: 0, more: false });
    expect(records.ops).toEqual([]);
    expect(records.drafts('shop')).toEqual(['event.create event-1']);
    expect(records.drafts('partner')).toEqual(['agreement.accept agreement-1']);
  });

  test('a document that fails does not hold up the rest: each is tried, the run then fails naming how many; the next run finishes them, each entry once', async () => {
    const { records, tick, drainAuditOutbox } = world();
    records.left('shop', 'k-1', draft('event.create', 'event-1'), 2 * OUTBOX_OVERDUE_MS);
    records.left('shop', 'k-2', draft('event.create', 'event-2'), 2 * OUTBOX_OVERDUE_MS);
    records.left('shop', 'k-3', draft('event.create', 'event-3'), 2 * OUTBOX_OVERDUE_MS);
    records.clearFails.add(auditOutboxId('k-1'));
    records.appendFails.add('event-2');
    await expect(drainAuditOutbox(NOW)).rejects.toThrow('2 of 3 audit outbox documents could not be settled (the next run tries again): Clearing the audit outbox failed with 503');
    expect(records.drafts('shop')).toEqual(['event.create event-1', 'event.create event-3']);
    expect([...records.outbox.values()].map((d) => d.id)).toEqual([auditOutboxId('k-1'), auditOutboxId('k-2')]);
    records.clearFails.clear();
    // The next runs come minutes later, as the timer runs them (a failed settler's claim has lapsed by then).
    tick(60_000);
    await expect(drainAuditOutbox(NOW)).rejects.toThrow('1 of 2 audit outbox documents could not be settled (the next run tries again): append of event-2 failed');
    expect(records.drafts('shop')).toEqual(['event.create event-1', 'event.create event-3']);
    expect([...records.outbox.values()].map((d) => d.id)).toEqual([auditOutboxId('k-2')]);
    records.appendFails.clear();
    tick(60_000);
    expect(await drainAuditOutbox(NOW)).toEqual({ settled: 1, more: false });
    expect(records.drafts('shop')).toEqual(['event.create event-1', 'event.create event-3', 'event.create event-2']);
    expect(records.outbox.size).toBe(0);
  });

  test('a full run (500) says there is more; `orgId` narrows the query to one organisation', async () => {
    const { records, drainAuditOutbox } = world();
    for (let i = 0; i < 501; i++) records.left('shop', `k-${i}`, draft('event.create', `event-${i}`), 2 * OUTBOX_OVERDUE_MS);
    records.left('mine', 'k-mine', draft('event.create', 'event-mine'), 2 * OUTBOX_OVERDUE_MS);
    expect(await drainAuditOutbox(NOW, 'mine')).toEqual({ settled: 1, more: false });
    expect(records.queries[0]).toEqual({ cutoff: ago(OUTBOX_OVERDUE_MS), max: 500, orgId: 'mine' });
    expect(await drainAuditOutbox(NOW)).toEqual({ settled: 500, more: true });
    expect(await drainAuditOutbox(NOW)).toEqual({ settled: 1, more: false });
    expect(records.chain('shop')).toHaveLength(501);
  });

  test('three failures in a row end the run early: the store is failing, not one document', async () => {
    const { records, drainAuditOutbox } = world();
    for (let i = 0; i < 6; i++) {
      records.left('shop', `k-${i}`, draft('event.create', `event-${i}`), 2 * OUTBOX_OVERDUE_MS);
      records.appendFails.add(`event-${i}`);
    }
    await expect(drainAuditOutbox(NOW)).rejects.toThrow('3 of 6 audit outbox documents could not be settled, stopped after 3 in a row (the next run tries again)');
    expect(records.outbox.size).toBe(6);
  });

  test('more is said only where a container answered all it was asked for, not of a sum over containers', async () => {
    const { records, drainAuditOutbox } = world();
    for (let i = 0; i < 300; i++) records.left('shop', `k-${i}`, draft('event.create', `event-${i}`), 2 * OUTBOX_OVERDUE_MS);
    for (let i = 0; i < 300; i++) records.left('shop', `e-${i}`, draft('evidence.upload', `evidence-${i}`), 2 * OUTBOX_OVERDUE_MS, { where: 'evidence-audit-outbox' });
    expect(await drainAuditOutbox(NOW)).toEqual({ settled: 600, more: false });
  });
});

describe('two settlers of one document', () => {
  test('only one appends its entry, however they interleave; a claim left by a settler that stopped is taken over once old', async () => {
    const records = new Records();
    let wallClock = NOW;
    const { settleAudit, drainAuditOutbox } = auditOutbox(records, () => wallClock);
    records.left('shop', 'profile.erase@p1', draft('profile.erase', 'p1'), 0);
    await Promise.all([settleAudit('shop', 'profile.erase@p1'), settleAudit('shop', 'profile.erase@p1'), settleAudit('shop', 'profile.erase@p1')]);
    expect(records.drafts('shop')).toEqual(['profile.erase p1']);

    // A settler claimed it and stopped before appending: others leave it while the claim is young.
    records.left('shop', 'profile.erase@p2', draft('profile.erase', 'p2'), 2 * OUTBOX_OVERDUE_MS);
    const key = `audit-outbox|shop|${auditOutboxId('profile.erase@p2')}`;
    records.outbox.set(key, { ...records.outbox.get(key)!, claimedAt: new Date(NOW.getTime() - 1_000).toISOString(), proven: true });
    await drainAuditOutbox(NOW);
    expect(records.drafts('shop')).toEqual(['profile.erase p1']);
    wallClock = new Date(NOW.getTime() + 60_000);
    await drainAuditOutbox(NOW);
    expect(records.drafts('shop')).toEqual(['profile.erase p1', 'profile.erase p2']);
  });

  test('a request that meets a claim left by a settler that failed waits it out, then appends the entry itself (no wait for the sweep)', async () => {
    const records = new Records();
    let wallClock = NOW;
    const paused: number[] = [];
    const { settleAudit } = auditOutbox(records, () => wallClock, async (ms) => {
      paused.push(ms);
      wallClock = new Date(wallClock.getTime() + ms);
    });
    records.left('shop', 'event.create@e9', draft('event.create', 'e9'), 0);
    const key = `audit-outbox|shop|${auditOutboxId('event.create@e9')}`;
    records.outbox.set(key, { ...records.outbox.get(key)!, claimedAt: NOW.toISOString(), proven: true });
    expect(await settleAudit('shop', 'event.create@e9')).toBe(true);
    expect(records.drafts('shop')).toEqual(['event.create e9']);
    expect(paused.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2_000);
    expect(paused.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_200);
  });

  test("a claim records that the change was stored: the entry is appended even once the proof is gone (an LPR alert removed after its settle)", async () => {
    const records = new Records();
    let wallClock = NOW;
    const { drainAuditOutbox } = auditOutbox(records, () => wallClock);
    records.left('shop', 'lpr@batch-1', draft('lpr.alert', 'batch-1'), 2 * OUTBOX_OVERDUE_MS, { proofId: 'alert-1' });
    records.proof('shop', 'alert-1');
    // The sweep claims it, then its append fails; meanwhile the alert, its proof, goes.
    records.appendFails.add('batch-1');
    await expect(drainAuditOutbox(NOW)).rejects.toThrow(/could not be settled/);
    records.proofs.clear();
    records.appendFails.clear();
    wallClock = new Date(NOW.getTime() + 60_000);
    await drainAuditOutbox(NOW);
    expect(records.drafts('shop')).toEqual(['lpr.alert batch-1']);
  });
});

describe('a request settling its own entry', () => {
  test('settleFreshAudit appends to the chain (its own or the one named), then clears; `clear` replaces the removal', async () => {
    const { records, settleFreshAudit } = world();
    records.left('shop', 'k-1', draft('event.create', 'event-1'), 0);
    await settleFreshAudit('shop', { key: 'k-1', draft: draft('event.create', 'event-1') });
    expect(records.ops).toEqual(['append shop event.create event-1', `clear shop ${auditOutboxId('k-1')}`]);
    records.ops = [];
    records.left('pair', 'k-2', draft('agreement.accept', 'agreement-1'), 0, { where: 'agreements-audit-outbox', chain: 'partner' });
    const clear = jest.fn(async () => void records.ops.push('caller clears'));
    await settleFreshAudit('pair', { key: 'k-2', draft: draft('agreement.accept', 'agreement-1'), where: 'agreements-audit-outbox', chain: 'partner' }, clear);
    expect(records.ops).toEqual(['append partner agreement.accept agreement-1', 'caller clears']);
    expect(records.outbox.size).toBe(1);
  });

  test('settleFreshAudit whose append fails clears nothing: the sweep appends the entry later', async () => {
    const { records, settleFreshAudit, drainAuditOutbox } = world();
    records.left('shop', 'k-1', draft('event.create', 'event-1'), 0);
    records.appendFails.add('event-1');
    await expect(settleFreshAudit('shop', { key: 'k-1', draft: draft('event.create', 'event-1') })).rejects.toThrow('append of event-1 failed');
    expect(records.outbox.size).toBe(1);
    records.appendFails.clear();
    expect(await drainAuditOutbox(new Date(NOW.getTime() + 2 * OUTBOX_OVERDUE_MS))).toEqual({ settled: 1, more: false });
    expect(records.drafts('shop')).toEqual(['event.create event-1']);
  });

  test('settleAudit finishes a document left behind with the completed draft, once; with none there it does nothing', async () => {
    const { records, settleAudit } = world();
    const complete = (d: AuditDraft): AuditDraft => ({ ...d, details: { count: 3 } });
    records.left('shop', 'k-1', draft('retention.purge', 'event-1'), 0, { where: 'evidence-audit-outbox' });
    expect(await settleAudit('shop', 'k-1', 'audit-outbox', complete)).toBe(false);
    expect(records.ops).toEqual([]);
    expect(await settleAudit('shop', 'k-1', 'evidence-audit-outbox', complete)).toBe(true);
    expect(records.chain('shop')).toEqual([{ ...draft('retention.purge', 'event-1'), details: { count: 3 } }]);
    expect(records.outbox.size).toBe(0);
    // A retry finds it settled.
    expect(await settleAudit('shop', 'k-1', 'evidence-audit-outbox', complete)).toBe(false);
    expect(records.chain('shop')).toHaveLength(1);
  });

  test("settleOverdueAudit leaves another request's young document to it (both appending would write the entry twice), and settles an overdue one once", async () => {
    const { records, settleOverdueAudit } = world();
    records.left('shop', 'k-1', draft('evidence.create', 'ev-1'), OUTBOX_OVERDUE_MS / 2, { where: 'evidence-audit-outbox' });
    expect(await settleOverdueAudit('shop', 'k-1', 'evidence-audit-outbox', NOW)).toBe(false);
    expect(records.ops).toEqual([]);
    expect(await settleOverdueAudit('shop', 'k-1', 'evidence-audit-outbox', new Date(NOW.getTime() + OUTBOX_OVERDUE_MS))).toBe(true);
    expect(records.drafts('shop')).toEqual(['evidence.create ev-1']);
    expect(await settleOverdueAudit('shop', 'k-1', 'evidence-audit-outbox', new Date(NOW.getTime() + 2 * OUTBOX_OVERDUE_MS))).toBe(false);
    expect(records.drafts('shop')).toHaveLength(1);
  });
});
