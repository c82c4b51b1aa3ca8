import { createHash, randomUUID } from 'node:crypto';
import { keepsNewestHolders, MAX_KEY_MEMBERS } from '../domain/matching/keys';
import { MAX_BATCH_OPERATIONS, createOperation, readMany, readTogether, replaceOperation, writeMany, type OperationInput } from '../adapters/cosmos-batch';
import { GroupCommit } from '../batching/group-commit';
import { container, keyOf, placed, queryAll, readIfExists, replaceIfUnchanged, withoutSystemProperties } from '../adapters/cosmos-containers';
import { optimistically, RETRY } from '../adapters/optimistic';
import { isConflict, statusOf } from '../adapters/cosmos-errors';
import { isTransientFault } from '../adapters/transient-faults';

/**
 * One document per blocking key value of a retailer, each in the shard its id falls in, so a
 * candidate look-up is a point read per key. A key held by more than MAX_KEY_MEMBERS profiles is saturated: it keeps
 * its count (for term-frequency weights) and, for an identifying kind, its newest MAX_KEY_MEMBERS
 * holders (keys.ts), so a value like "SMITH" or a popular product never explodes the work.
 */
export interface MatchKeyDoc {
  id: string;
  orgId: string;
  docType: 'matchkey' | 'population';
  members: string[];
  count: number;
  saturated: boolean;
  /** Holds what the container before shards held for this id (the shard migration job). */
  migrated?: true;
  /** The population's last writes (their write ids): a write whose answer was lost is found here, not applied twice. */
  applied?: string[];
  _etag?: string;
}

/**
 * Key values (a phone, a date of birth, a plate) are personal data: the document id keeps the
 * key's kind in clear and only a hash of the value, so the index itself reveals nothing.
 */
/** The document holding the retailer's count of indexed profiles, beside the keys. */
export const POPULATION_ID = 'population';

export const matchKeyDocId = (key: string): string => {
  const kind = key.split(':')[0]!.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${kind}:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
};

export async function readKey(retailerId: string, key: string): Promise<MatchKeyDoc | undefined> {
  return readIfExists<MatchKeyDoc>('matchkeys', retailerId, key === POPULATION_ID ? key : matchKeyDocId(key));
}

/**
 * The holders listed on the retailer's saturated keys of the kinds that keep their newest holders,
 * by key document id: the candidates the matcher reads there. A query, for the estimation job only
 * (few keys of a retailer saturate).
 */
export async function saturatedWindows(retailerId: string): Promise<Map<string, string[]>> {
  const docs = await queryAll<{ id: string; members: string[] }>('matchkeys', retailerId, "SELECT c.id, c.members FROM c WHERE c.orgId = @orgId AND c.docType = 'matchkey' AND c.saturated = true", { orgId: retailerId });
  return new Map(docs.filter((d) => keepsNewestHolders(d.id)).map((d) => [d.id, d.members]));
}

/**
 * The documents of `keys` and the population count in one round trip (a bulk of reads: they lie
 * in several shards), with the look-ups of the events matched meanwhile (readTogether): what a
 * candidate look-up needs. A key no profile holds is undefined.
 */
export async function readKeysWithPopulation(
  retailerId: string,
  keys: readonly string[],
): Promise<{ docs: (MatchKeyDoc | undefined)[]; population: number }> {
  const found = await readTogether<MatchKeyDoc>('matchkeys', retailerId, [POPULATION_ID, ...keys.map(matchKeyDocId)]);
  return { docs: found.slice(1), population: found[0]?.count ?? 0 };
}

/** A change to one document of a retailer's match key index. */
export type IndexChange = { id: string; profileId: string; add: boolean } | { id: typeof POPULATION_ID; delta: number };

/**
 * Writes to a retailer's key index go through one writer per retailer in this process: the
 * changes that arrive while a write is in flight (the keys of every person being matched at the
 * time, the population count) are applied together: one round trip reads every document they
 * touch, one writes them all, each conditional on the version read. A hot document (a common
 * name, the population) then takes one write per group instead of a race per change.
 */
const writers = new GroupCommit<IndexChange, MatchKeyDoc | undefined>(async (retailerId, changes) => {
  const written = await applyChanges(retailerId, changes);
  // Each caller its own copy: no caller sees another's changes to it.
  return changes.map((c) => structuredClone(written.get(c.id)));
}, MAX_BATCH_OPERATIONS);

/**
 * Adds or removes a profile on a key; counts stay exact even when saturated. Resolves with the
 * key's document as this change left it (undefined: no holder): it holds every change that landed
 * before, so a caller that looks its key up next needs no read (the matcher, after indexing).
 */
export function changeKey(retailerId: string, key: string, profileId: string, add: boolean): Promise<MatchKeyDoc | undefined> {
  return changeKeyDoc(retailerId, matchKeyDocId(key), profileId, add);
}

/** The same by the key document's id (a key note holds ids, not key values). */
export function changeKeyDoc(retailerId: string, docId: string, profileId: string, add: boolean): Promise<MatchKeyDoc | undefined> {
  return writers.submit(retailerId, { id: docId, profileId, add });
}

/** The retailer's indexed population, one up or down; resolves with its document as this change left it. */
export function changePopulation(retailerId: string, delta: 1 | -1): Promise<MatchKeyDoc | undefined> {
  return writers.submit(retailerId, { id: POPULATION_ID, delta });
}

/** How many profiles the retailer has indexed: the denominator of key frequencies. */
export async function population(retailerId: string): Promise<number> {
  return (await readKey(retailerId, POPULATION_ID))?.count ?? 0;
}

/**
 * Optimistic concurrency per document: every write is conditional on the version read (or a
 * create where none existed), and the changes of a document whose write lost a race to another
 * process are read and applied again; those of documents written are done (writes are not
 * atomic as a group, so a change is never applied twice).
 */
async function applyChanges(retailerId: string, changes: IndexChange[]): Promise<Map<string, MatchKeyDoc | undefined>> {
  let pending = changes;
  const writeId = randomUUID();
  /** Each document as the changes left it: as read where they changed nothing, else as written. */
  const left = new Map<string, MatchKeyDoc | undefined>();
  await optimistically('Match keys', async () => {
    const ids = [...new Set(pending.map((c) => c.id))];
    const current = await readMany<MatchKeyDoc>('matchkeys', retailerId, ids);
    const writes: { id: string; op: Write; after: MatchKeyDoc | undefined }[] = [];
    ids.forEach((id, i) => {
      const before = current[i];
      const after = documentAfter(before, pending.filter((c) => c.id === id), writeId);
      const op = writeOf(retailerId, id, before, after);
      if (op) writes.push({ id, op, after: 'delete' in op ? undefined : after });
      // Not written: as read, or (a key nobody came to hold) none.
      else left.set(id, before === after && before ? withoutSystemProperties(before) : undefined);
    });
    const statuses = await write(retailerId, writes.map((w) => w.op));
    const retry = new Set<string>();
    statuses.forEach((status, i) => {
      if (status >= 200 && status < 300) return void left.set(writes[i]!.id, writes[i]!.after && withoutSystemProperties({ ...writes[i]!.after!, orgId: retailerId }));
      // Lost a race (404, 409, 412), not attempted or not answered (424, 0), or the moment's (408, 429, 449, 503):
      // read and apply again (a document already changed is left as it is); when the tries run out, 503.
      if ([404, 409, 412, 424, 0].includes(status) || isTransientFault({ code: status })) return void retry.add(writes[i]!.id);
      throw new Error(`Match key write failed with status ${status}.`);
    });
    pending = pending.filter((c) => retry.has(c.id));
    return pending.length === 0 ? undefined : RETRY;
  });
  return left;
}

/** Write ids the population keeps: far more than the writers that can race on it (one per process). */
const APPLIED_KEPT = 32;

/**
 * A document's state after this write's changes (the same document when nothing changes: no write
 * then). A holder added or removed twice is one change, but a count moved twice is not: a
 * population write whose answer was lost (the store acted, the client saw no status) and is
 * retried would count its profiles twice. So the population keeps the ids of its last writes, and
 * a retry that finds its own id there has nothing left to do. Exported for its unit test.
 */
export function documentAfter(before: MatchKeyDoc | undefined, changes: readonly IndexChange[], writeId: string): MatchKeyDoc | undefined {
  if (before?.applied?.includes(writeId)) return before;
  const after = changes.reduce<MatchKeyDoc | undefined>((doc, c) => applyChange(doc, c), before);
  if (!after || after === before || after.docType !== 'population') return after;
  return { ...after, applied: [...(before?.applied ?? []), writeId].slice(-APPLIED_KEPT) };
}

/** One change applied to a document's state (undefined: no document). Exported for its unit test. */
export function applyChange(doc: MatchKeyDoc | undefined, change: IndexChange): MatchKeyDoc | undefined {
  const base: MatchKeyDoc = doc ?? { id: change.id, orgId: '', docType: 'matchkey', members: [], count: 0, saturated: false };
  if ('delta' in change) {
    if (!doc && change.delta < 0) return doc;
    return { ...base, docType: 'population', count: Math.max(0, base.count + change.delta) };
  }
  const has = base.members.includes(change.profileId);
  if (change.add && has) return doc;
  if (!change.add && !has && !base.saturated) return doc;
  if (!doc && !change.add) return doc;
  const members = change.add ? [...base.members, change.profileId] : base.members.filter((m) => m !== change.profileId);
  const count = Math.max(0, base.count + (change.add ? 1 : has || base.saturated ? -1 : 0));
  const saturated = base.saturated || members.length > MAX_KEY_MEMBERS;
  return { ...base, members: saturated ? newestHolders(change.id, members) : members, count, saturated };
}

/** The write that takes a document from `before` to `after`, conditional on `before`'s version; none when unchanged. */
function writeOf(retailerId: string, id: string, before: MatchKeyDoc | undefined, after: MatchKeyDoc | undefined): Write | undefined {
  if (before === after) return undefined;
  if (!before) return after && after.count > 0 ? createOperation({ ...after, id, orgId: retailerId }) : undefined;
  const ifMatch = before._etag ?? '';
  // A population of 0 stays as a document; a key nobody holds goes.
  if (!after || (after.count === 0 && id !== POPULATION_ID)) return { delete: id, ifMatch };
  return replaceOperation({ ...after, id, orgId: retailerId }, ifMatch);
}

/** A create or replace goes in the bulk request; a delete (the last holder left) is a conditional point delete, which bulk cannot express. */
type Write = OperationInput | { delete: string; ifMatch: string };

async function write(retailerId: string, writes: Write[]): Promise<number[]> {
  const bulk = writes.flatMap((w, i) => ('delete' in w ? [] : [{ w, i }]));
  const statuses = new Array<number>(writes.length).fill(0);
  const [bulkStatuses] = await Promise.all([
    writeMany('matchkeys', retailerId, bulk.map((b) => b.w as OperationInput)),
    ...writes.map(async (w, i) => {
      if (!('delete' in w)) return;
      try {
        await container('matchkeys').item(w.delete, keyOf('matchkeys', retailerId, w.delete)).delete({ accessCondition: { type: 'IfMatch', condition: w.ifMatch } });
        statuses[i] = 204;
      } catch (error) {
        // No answer (the connection dropped): not known to be done, so read and applied again, as 0.
        const status = statusOf(error) ?? (isTransientFault(error) ? 0 : undefined);
        if (status === undefined) throw error;
        statuses[i] = status;
      }
    }),
  ]);
  bulk.forEach((b, j) => (statuses[b.i] = bulkStatuses[j]!));
  return statuses;
}

/**
 * A document of the match-key container as it was before shards, taken in by the shard migration
 * job: copied as it is, or, where intake has written the same id since the deployment, merged into
 * it (mergeKeyDocs). The result is marked `migrated`, so a run that stopped before deleting the old
 * document and runs again leaves it as it is.
 */
export async function adoptLegacyKeyDoc(legacy: MatchKeyDoc): Promise<void> {
  const old = withoutSystemProperties(legacy);
  await optimistically('Match keys', async () => {
    const current = await readIfExists<MatchKeyDoc>('matchkeys', old.orgId, old.id);
    if (!current) {
      try {
        // The model is not merged (the newer stands), so it needs no mark.
        await container('matchkeys').items.create(placed('matchkeys', old.docType === 'matchkey' || old.docType === 'population' ? { ...old, migrated: true as const } : old));
        return true;
      } catch (error) {
        if (isConflict(error)) return RETRY;
        throw error;
      }
    }
    if (current.migrated) return true;
    return (await replaceIfUnchanged('matchkeys', current, { ...mergeKeyDocs(current, old), migrated: true })) ? true : RETRY;
  });
}

/**
 * A key document written since the deployment (`current`) and the one of the same id from before
 * (`old`): a key's holders are the union (its count the sum, less the holders both list); the
 * population is the sum (the profiles indexed since are new ones); the matching model is the
 * newer estimate.
 */
export function mergeKeyDocs(current: MatchKeyDoc, old: MatchKeyDoc): MatchKeyDoc {
  if (current.docType === 'population') return { ...current, count: current.count + old.count };
  if (current.docType !== 'matchkey') return current;
  const both = old.members.filter((m) => current.members.includes(m));
  // Those written since the deployment are the newest: last, so a saturated key keeps them.
  const members = [...old.members.filter((m) => !both.includes(m)), ...current.members];
  const saturated = current.saturated || old.saturated || members.length > MAX_KEY_MEMBERS;
  return { ...current, members: saturated ? newestHolders(current.id, members) : members, count: current.count + old.count - both.length, saturated };
}

/** What a saturated key document keeps of its holders: the newest, for an identifying kind (keys.ts); none otherwise. */
function newestHolders(docId: string, members: string[]): string[] {
  return keepsNewestHolders(docId) ? members.slice(-MAX_KEY_MEMBERS) : [];
}
