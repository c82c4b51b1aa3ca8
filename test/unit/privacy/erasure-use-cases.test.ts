import { erasureUseCases, type ErasureStore } from '../../../shared/privacy/erasure-use-cases';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { AuditDraft } from '../../../shared/domain/audit-chain';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { ERASURE_STEPS, type ErasureStep } from '../../../shared/domain/privacy/erasure';
import { TableAuthorizer } from '../support/table-authorize';
import type { OrgType } from '../../../shared/domain/organisation';
import type { Role } from '../../../shared/domain/principal';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/domain/errors';
import { callerAs } from '../support/caller';
import { Leases } from '../support/leases';
import { withProfileLeases } from '../../../shared/matching/profile-leases';

/**
 * The order of an erasure on its own, over a profile in memory: what runs in which order, what a
 * crash after each step leaves, that a second DELETE finishes it with one entry, and what a
 * legal hold or another retailer meets. The steps themselves run against the emulator in
 * test/integration/app/erasure.test.ts.
 */
class Records implements ErasureStore {
  leases = new Leases();
  exclusively = <T>(r: string, ids: readonly string[], holder: string, work: () => Promise<T>) => withProfileLeases(this.leases, r, ids, holder, work);
  profiles = new Map<string, ProfileDoc>();
  held = new Set<string>();
  /** A hold placed between the check and the step that takes the person out of the events. */
  holdDuringEvents = false;
  steps: string[] = [];
  outbox = new Map<string, Omit<OutboxEntry, 'where'>>();
  chain: { action: string; outcome?: string; details?: unknown; chain?: string }[] = [];
  eventsWithPerson = new Set<string>();
  keys = 0;
  links = 0;

  orgTypes = new Map<string, OrgType>([
    ['shop', 'retailer'],
    ['other', 'retailer'],
    ['police', 'agency'],
  ]);
  table = new TableAuthorizer((org) => this.orgTypes.get(org));
  authorize = (caller: Caller, id: string) => this.table.check(caller, 'profile.erase', id);
  readProfile = (retailerId: string, id: string) => Promise.resolve(structuredClone(this.profiles.get(`${retailerId}/${id}`)));
  heldEvents = (_r: string, profile: ProfileDoc) => Promise.resolve(profile.eventIds.filter((e) => this.held.has(e)));
  markErasing = (profile: ProfileDoc, by: string, now: Date, entry: Omit<OutboxEntry, 'where'>) => {
    this.steps.push('marked');
    const stored = this.profiles.get(`${profile.orgId}/${profile.id}`)!;
    if (!stored.erasing) {
      stored.erasing = { at: now.toISOString(), by };
      this.outbox.set(entry.key, entry);
    }
    return Promise.resolve(structuredClone(stored));
  };
  removeFromEvents = (profile: ProfileDoc) => {
    this.steps.push('events');
    if (this.holdDuringEvents) return Promise.reject(new ConflictError('LEGAL_HOLD', 'held since the check'));
    const n = profile.eventIds.filter((e) => this.eventsWithPerson.delete(e)).length;
    return Promise.resolve(n);
  };
  removeKeys = () => {
    this.steps.push('keys');
    const n = this.keys;
    this.keys = 0;
    return Promise.resolve(n);
  };
  removeLinks = () => {
    this.steps.push('links');
    const n = this.links;
    this.links = 0;
    return Promise.resolve(n);
  };
  settleAudit = (_r: string, key: string, complete: (draft: AuditDraft) => AuditDraft) => {
    this.steps.push('audit');
    const left = this.outbox.get(key);
    if (left) {
      const draft = complete(left.draft);
      this.chain.push({ action: draft.action, outcome: draft.outcome, details: draft.details });
      this.outbox.delete(key);
    }
    return Promise.resolve(left !== undefined);
  };
  auditWaiting = (_r: string, key: string) => Promise.resolve(this.outbox.has(key));
  /** The next deletion of the profile document fails (a fault after the entry was appended). */
  deleteFails = false;
  deleteProfile = (profile: ProfileDoc) => {
    if (this.deleteFails) {
      this.deleteFails = false;
      return Promise.reject(new Error('store unavailable'));
    }
    this.steps.push('deleted');
    this.profiles.delete(`${profile.orgId}/${profile.id}`);
    return Promise.resolve();
  };
  audit = (_c: Caller, r: string, _id: string, outcome: 'success' | 'denied', details: Record<string, unknown>) => {
    this.chain.push({ action: 'profile.erase', outcome, details, ...(r !== 'shop' ? { chain: r } : {}) });
    return Promise.resolve();
  };
  /** Profiles either side of a merge whose split was started and not finished. */
  splitting = new Set<string>();
  splitsUnderWay = (_r: string, ids: readonly string[]) => Promise.resolve(ids.filter((id) => this.splitting.has(id)).map((id) => ({ linkId: 'link-1', intoId: id })));
  /** As the query across retailers: the retailer holding a profile of this id. */
  ownerElsewhere = (id: string) => Promise.resolve([...this.profiles.values()].find((p) => p.id === id)?.orgId);
}

const as = (orgId: string, role: Role = 'RetailerAdmin'): Caller => callerAs(orgId, role);
const T1 = new Date('2026-12-04T10:00:00Z');
const T2 = new Date('2026-12-04T11:00:00Z');

function world() {
  const records = new Records();
  records.profiles.set('shop/p1', { id: 'p1', orgId: 'shop', docType: 'profile', eventIds: ['e1', 'e2'], createdAt: T1.toISOString(), updatedAt: T1.toISOString() });
  records.eventsWithPerson = new Set(['e1', 'e2']);
  records.keys = 7;
  records.links = 2;
  return { records, ...erasureUseCases(records) };
}

describe('erasing a person, over in-memory records', () => {
  it('runs its steps in the order that makes it crash-safe, and appends one entry with what was done', async () => {
    const { records, eraseProfile } = world();
    const result = await eraseProfile(as('shop'), 'p1', { now: T1 });
    expect(result).toEqual({ profileId: 'p1', eventsUpdated: 2, keysRemoved: 7, linksRemoved: 2, erasedAt: T1.toISOString() });
    expect(records.steps).toEqual(['marked', 'events', 'keys', 'links', 'deleted', 'audit']);
    expect(records.chain).toEqual([
      { action: 'profile.erase', outcome: 'success', details: { eventsUpdated: 2, keysRemoved: 7, linksRemoved: 2, resumed: false, eventIds: ['e1', 'e2'] } },
    ]);
    expect(records.profiles.size).toBe(0);
    await expect(eraseProfile(as('shop'), 'p1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each(ERASURE_STEPS.filter((s) => s !== 'deleted'))('a crash right after "%s" leaves the profile marked; DELETE again finishes it, with one entry saying it resumed', async (step) => {
    const { records, eraseProfile } = world();
    await expect(eraseProfile(as('shop'), 'p1', { now: T1, failAfter: step as ErasureStep })).rejects.toThrow(/fault injected/);
    expect(records.profiles.get('shop/p1')?.erasing).toEqual({ at: T1.toISOString(), by: 'RetailerAdmin@shop' });
    expect(records.chain).toEqual([]);
    const result = await eraseProfile(as('shop'), 'p1', { now: T2 });
    expect(records.profiles.size).toBe(0);
    expect(records.chain).toHaveLength(1);
    expect(records.chain[0]!.details).toMatchObject({ resumed: true });
    // What the first run removed is not counted again.
    const first = ERASURE_STEPS.indexOf(step);
    expect(result.keysRemoved).toBe(first >= ERASURE_STEPS.indexOf('keys') ? 0 : 7);
  });

  it('while a split of a merge of the person was started and not finished (its lease lapsed), it is 409 SPLIT_UNFINISHED naming that merge and nothing is marked; an erasure already marked goes on', async () => {
    const { records, eraseProfile } = world();
    records.splitting.add('p1');
    await expect(eraseProfile(as('shop'), 'p1', { now: T1 })).rejects.toMatchObject({ code: 'SPLIT_UNFINISHED', message: expect.stringContaining('link-1') });
    expect([records.steps, records.profiles.get('shop/p1')!.erasing]).toEqual([[], undefined]);
    // Marked before the split started (the split then refuses while it is being erased): it finishes.
    records.profiles.get('shop/p1')!.erasing = { at: T1.toISOString(), by: 'RetailerAdmin@shop' };
    await eraseProfile(as('shop'), 'p1', { now: T2 });
    expect(records.profiles.size).toBe(0);
  });

  it('while a merge or a split holds the person (their lease), it is 409 PROFILE_BUSY and changes nothing; a second erasure of the same person goes on', async () => {
    const { records, eraseProfile } = world();
    records.leases.held.set('p1', { holder: 'merge:link-1', until: Date.now() + 60_000 });
    await expect(eraseProfile(as('shop'), 'p1', { now: T1 })).rejects.toMatchObject({ code: 'PROFILE_BUSY' });
    expect(records.steps).toEqual([]);
    records.leases.held.set('p1', { holder: 'erase:p1', until: Date.now() + 60_000 });
    await eraseProfile(as('shop'), 'p1', { now: T1 });
    expect(records.profiles.size).toBe(0);
  });

  it('a legal hold refuses it as a whole (409), writing a denied entry and changing nothing', async () => {
    const { records, eraseProfile } = world();
    records.held.add('e2');
    await expect(eraseProfile(as('shop'), 'p1')).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    expect(records.steps).toEqual([]);
    expect(records.chain).toEqual([{ action: 'profile.erase', outcome: 'denied', details: { code: 'LEGAL_HOLD', eventIds: ['e2'] } }]);
    expect(records.profiles.get('shop/p1')?.erasing).toBeUndefined();
  });

  it('a hold placed after the check stops it at the events (409, a denied entry); the profile stays marked, and DELETE after the hold is lifted finishes it', async () => {
    const { records, eraseProfile } = world();
    records.holdDuringEvents = true;
    await expect(eraseProfile(as('shop'), 'p1', { now: T1 })).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    expect(records.steps).toEqual(['marked', 'events']);
    expect(records.chain).toEqual([{ action: 'profile.erase', outcome: 'denied', details: { code: 'LEGAL_HOLD' } }]);
    expect(records.profiles.get('shop/p1')?.erasing).toBeDefined();
    records.holdDuringEvents = false;
    await eraseProfile(as('shop'), 'p1', { now: T2 });
    expect(records.chain.map((e) => e.outcome)).toEqual(['denied', 'success']);
    expect(records.profiles.size).toBe(0);
  });

  it.each(ERASURE_STEPS.filter((s) => s !== 'deleted'))('a crash right after "%s" and no DELETE again: the sweep finishes it (finishStoppedErasure), in the name of who asked, with one entry saying so', async (step) => {
    const { records, eraseProfile, finishStoppedErasure } = world();
    await expect(eraseProfile(as('shop'), 'p1', { now: T1, failAfter: step as ErasureStep })).rejects.toThrow(/fault injected/);
    expect(await finishStoppedErasure('shop', 'p1', T2)).toBe(true);
    expect([records.profiles.size, records.eventsWithPerson.size, records.keys, records.links]).toEqual([0, 0, 0, 0]);
    expect(records.chain).toEqual([{ action: 'profile.erase', outcome: 'success', details: expect.objectContaining({ resumed: true, finishedBySweep: true, eventIds: ['e1', 'e2'] }) }]);
    // Done: nothing left to finish, and DELETE answers 404.
    expect(await finishStoppedErasure('shop', 'p1', T2)).toBe(false);
    await expect(eraseProfile(as('shop'), 'p1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the sweep finishes nothing of a profile not being erased; a hold placed after the mark stops it again without a denied entry each time, and it finishes once the hold is lifted', async () => {
    const { records, eraseProfile, finishStoppedErasure } = world();
    expect(await finishStoppedErasure('shop', 'p1', T2)).toBe(false);
    expect([records.steps, records.chain]).toEqual([[], []]);
    records.holdDuringEvents = true;
    await expect(eraseProfile(as('shop'), 'p1', { now: T1 })).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    await expect(finishStoppedErasure('shop', 'p1', T2)).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    await expect(finishStoppedErasure('shop', 'p1', T2)).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    // One denied entry: the request's own.
    expect(records.chain.map((e) => e.outcome)).toEqual(['denied']);
    records.holdDuringEvents = false;
    expect(await finishStoppedErasure('shop', 'p1', T2)).toBe(true);
    expect(records.chain.map((e) => e.outcome)).toEqual(['denied', 'success']);
    expect(records.profiles.size).toBe(0);
  });

  it('an erasure that a DELETE asked again finished while the sweep waited for the lease is nothing for the sweep to finish, not a failure', async () => {
    const { records, eraseProfile, finishStoppedErasure } = world();
    await expect(eraseProfile(as('shop'), 'p1', { now: T1, failAfter: 'marked' })).rejects.toThrow(/fault injected/);
    const take = records.exclusively;
    records.exclusively = async (r, ids, holder, work) => {
      records.exclusively = take;
      await eraseProfile(as('shop'), 'p1', { now: T2 });
      return take(r, ids, holder, work);
    };
    expect(await finishStoppedErasure('shop', 'p1', T2)).toBe(false);
    expect(records.chain).toHaveLength(1);
  });

  it('a hold placed after the mark on one of its events (met by the check) stops the sweep each time without a denied entry, and the erasure waits for the hold to be lifted', async () => {
    const { records, eraseProfile, finishStoppedErasure } = world();
    await expect(eraseProfile(as('shop'), 'p1', { now: T1, failAfter: 'marked' })).rejects.toThrow(/fault injected/);
    records.held.add('e2');
    await expect(finishStoppedErasure('shop', 'p1', T2)).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    await expect(finishStoppedErasure('shop', 'p1', T2)).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    expect([records.chain, records.eventsWithPerson.size, [...records.outbox.keys()]]).toEqual([[], 2, ['profile.erase@p1']]);
    // A DELETE meanwhile is refused, and that refusal is audited.
    await expect(eraseProfile(as('shop'), 'p1', { now: T2 })).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    expect(records.chain.map((e) => e.outcome)).toEqual(['denied']);
    records.held.clear();
    expect(await finishStoppedErasure('shop', 'p1', T2)).toBe(true);
    expect(records.chain.map((e) => [e.outcome, (e.details as { finishedBySweep?: boolean }).finishedBySweep])).toEqual([['denied', undefined], ['success', true]]);
  });

  it('a DELETE that finishes an erasure whose entry went in already (the sweep gave up on it) adds an entry of its own; one that only deletes the profile document left does not', async () => {
    const { records, eraseProfile } = world();
    await expect(eraseProfile(as('shop'), 'p1', { now: T1, failAfter: 'marked' })).rejects.toThrow(/fault injected/);
    // The sweep gave up on it after an hour: its entry appended as written, saying so.
    const left = records.outbox.get('profile.erase@p1')!;
    records.chain.push({ action: left.draft.action, outcome: left.draft.outcome, details: { leftUnfinished: true } });
    records.outbox.delete('profile.erase@p1');
    await eraseProfile(as('shop'), 'p1', { now: T2 });
    expect(records.chain).toEqual([
      { action: 'profile.erase', outcome: 'success', details: { leftUnfinished: true } },
      { action: 'profile.erase', outcome: 'success', details: { eventsUpdated: 2, keysRemoved: 7, linksRemoved: 2, resumed: true, eventIds: ['e1', 'e2'] } },
    ]);
    // All done but the profile document's deletion, which failed (its entry still waiting): DELETE again appends that entry, once.
    const again = world();
    again.records.deleteFails = true;
    await expect(again.eraseProfile(as('shop'), 'p1', { now: T1 })).rejects.toThrow('store unavailable');
    await again.eraseProfile(as('shop'), 'p1', { now: T2 });
    expect(again.records.chain).toHaveLength(1);
    expect(again.records.profiles.size).toBe(0);
  });

  it("another retailer's profile answers 404 to a caller who may erase and to one who may not; the owner's caller without the role or a second factor meets 403", async () => {
    const { records, eraseProfile } = world();
    await expect(eraseProfile(as('other'), 'p1')).rejects.toBeInstanceOf(NotFoundError);
    // The attempt is in the owner's chain, refused (PRODUCT §8).
    expect(records.chain).toEqual([{ action: 'profile.erase', outcome: 'denied', details: { code: 'NOT_VISIBLE' } }]);
    await expect(eraseProfile(as('other', 'Reporter'), 'p1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(eraseProfile(as('shop', 'Reporter'), 'p1')).rejects.toBeInstanceOf(ForbiddenError);
    // The table asks a fresh second factor of whoever erases.
    const withoutMfa = as('shop');
    withoutMfa.principal.mfa = false;
    await expect(eraseProfile(withoutMfa, 'p1')).rejects.toMatchObject({ code: 'MFA_REQUIRED' });
    // An agency's officer never erases a retailer's person (the table names the organisation type): 404 here too.
    await expect(eraseProfile(as('police', 'RetailerAdmin'), 'p1')).rejects.toBeInstanceOf(NotFoundError);
    expect(records.table.asked.every((a) => a === 'profile.erase p1')).toBe(true);
    expect(records.steps).toEqual([]);
    expect(records.profiles.has('shop/p1')).toBe(true);
  });
});
