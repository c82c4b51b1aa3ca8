import { createHash } from 'node:crypto';
import { MAX_KEY_MEMBERS } from '../domain/matching/keys';
import { MAX_BATCH_OPERATIONS, readBatch } from '../adapters/cosmos-batch';
import { container } from '../adapters/cosmos-containers';
import { contentionPause, isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

/**
 * One document per blocking key value in a retailer's partition, so a candidate look-up is a
 * point read per key. A key held by more than MAX_KEY_MEMBERS profiles is saturated: it keeps
 * only its count (for term-frequency weights) and stops producing candidates, so a value like
 * "JOHN" or a popular product never explodes the work.
 */
export interface MatchKeyDoc {
  id: string;
  orgId: string;
  docType: 'matchkey';
  members: string[];
  count: number;
  saturated: boolean;
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
  try {
    const { resource } = await container('matchkeys').item(key === POPULATION_ID ? key : matchKeyDocId(key), retailerId).read<MatchKeyDoc>();
    return resource ?? undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The documents of `keys` and the population count in one round trip (a batch of reads): what a
 * candidate look-up needs. A key no profile holds is undefined.
 */
export async function readKeysWithPopulation(
  retailerId: string,
  keys: readonly string[],
): Promise<{ docs: (MatchKeyDoc | undefined)[]; population: number }> {
  const ids = [POPULATION_ID, ...keys.map(matchKeyDocId)];
  const found: (MatchKeyDoc | undefined)[] = [];
  for (let i = 0; i < ids.length; i += MAX_BATCH_OPERATIONS) found.push(...(await readBatch<MatchKeyDoc>('matchkeys', retailerId, ids.slice(i, i + MAX_BATCH_OPERATIONS))));
  return { docs: found.slice(1), population: found[0]?.count ?? 0 };
}

/** Adds or removes a profile on a key with optimistic concurrency; counts stay exact even when saturated. */
export async function changeKey(retailerId: string, key: string, profileId: string, add: boolean, seen?: MatchKeyDoc): Promise<void> {
  const keys = container('matchkeys');
  let current = seen;
  for (let attempt = 0; attempt < 16; attempt += 1) {
    await contentionPause(attempt);
    if (attempt > 0 || current === undefined) current = await readKey(retailerId, key);
    if (!current) {
      if (!add) return;
      try {
        await keys.items.create({ id: matchKeyDocId(key), orgId: retailerId, docType: 'matchkey', members: [profileId], count: 1, saturated: false });
        return;
      } catch (error) {
        if (isConflict(error)) continue;
        throw error;
      }
    }
    const has = current.members.includes(profileId);
    if (add && has) return;
    if (!add && !has && current.saturated === false) return;
    const members = add ? [...current.members, profileId] : current.members.filter((m) => m !== profileId);
    const count = Math.max(0, current.count + (add ? 1 : has || current.saturated ? -1 : 0));
    const saturated = current.saturated || members.length > MAX_KEY_MEMBERS;
    const { _etag, ...rest } = current;
    try {
      if (count === 0) await keys.item(current.id, retailerId).delete({ accessCondition: { type: 'IfMatch', condition: _etag ?? '' } });
      else
        await keys
          .item(current.id, retailerId)
          .replace({ ...rest, members: saturated ? [] : members, count, saturated }, { accessCondition: { type: 'IfMatch', condition: _etag ?? '' } });
      return;
    } catch (error) {
      if (isPreconditionFailed(error) || isNotFound(error) || isConflict(error)) continue;
      throw error;
    }
  }
  throw new Error(`Match key kept changing; gave up.`);
}


/** How many profiles the retailer has indexed: the denominator of key frequencies. */
export async function population(retailerId: string): Promise<number> {
  return (await readKey(retailerId, POPULATION_ID))?.count ?? 0;
}

export async function changePopulation(retailerId: string, delta: 1 | -1): Promise<void> {
  const keys = container('matchkeys');
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await contentionPause(attempt);
    const current = await readKey(retailerId, POPULATION_ID);
    try {
      if (!current) {
        if (delta < 0) return;
        await keys.items.create({ id: POPULATION_ID, orgId: retailerId, docType: 'population', members: [], count: 1, saturated: false });
      } else {
        const { _etag, ...rest } = current;
        await keys
          .item(POPULATION_ID, retailerId)
          .replace({ ...rest, count: Math.max(0, current.count + delta) }, { accessCondition: { type: 'IfMatch', condition: _etag ?? '' } });
      }
      return;
    } catch (error) {
      if (isPreconditionFailed(error) || isConflict(error) || isNotFound(error)) continue;
      throw error;
    }
  }
}
