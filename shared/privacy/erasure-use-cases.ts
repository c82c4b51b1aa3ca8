import { AppError, NotFoundError } from '../domain/errors';
import type { ErasureResult, ErasureStep } from '../domain/privacy/erasure';
import { auditDraftFor, auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleAudit } from '../audit/audit-outbox';
import { readProfile } from '../events/profile-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { crashAfter, deleteProfile, heldEvents, legalHoldError, markErasing, removeFromEvents, removeKeys, removeLinks } from './erase-profile';

export interface EraseOptions {
  now?: Date;
  /** Test hook: stop as a crash would, right after this step. */
  failAfter?: ErasureStep;
}

/**
 * DELETE /profiles/{id}: erases a person from the retailer. Refused as a whole (409 LEGAL_HOLD,
 * nothing changed) while any event holding the person is under legal hold. Crash-safe by order:
 *   1. the profile is marked `erasing`: every read but this one treats it as gone (GET, search,
 *      subject access, new events naming it, the matcher, merges);
 *   2. the person leaves each event (replaced over the ETag read, retried on a conflict), and the
 *      stored idempotent responses of those events;
 *   3. its Connect the Dots keys go, then its facts;
 *   4. its suggestions and links go, here and in partners' partitions;
 *   5. the audit entry, then the profile document last.
 * A run that stops part-way leaves the profile marked, so it stays invisible, and DELETE again
 * finishes the job (each step is idempotent); once the document is gone the answer is 404.
 */
export async function eraseProfile(caller: Caller, id: string, options: EraseOptions = {}): Promise<ErasureResult> {
  const now = options.now ?? new Date();
  const target = { type: 'profile', id };
  const retailerId = caller.principal.orgId;
  try {
    await authorizeAudited(caller, 'profile.erase', await callerOrgType(caller), target);
  } catch (error) {
    // Refused on a profile that is not the caller's retailer's: 404, as if it did not exist.
    if (!retailerId || !(await readProfile(retailerId, id, true))) throw new NotFoundError();
    throw error;
  }
  const found = await readProfile(retailerId!, id, true);
  if (!found) throw new NotFoundError();
  const held = await heldEvents(retailerId!, found);
  if (held.length) {
    await audit(caller, retailerId!, id, 'denied', { code: 'LEGAL_HOLD', eventIds: held.slice(0, 100) });
    throw legalHoldError(held);
  }
  const by = caller.principal.sub;
  // One erasure per profile: its entry rides with the mark that starts it, and is appended, with what was done, by the run that finishes.
  const key = `profile.erase@${id}`;
  const entry = { key, draft: auditDraftFor(caller, { action: 'profile.erase', target, outcome: 'success', details: { eventIds: found.eventIds.slice(0, 100) } }) };
  const profile = await markErasing(found, by, now, entry);
  crashAfter('marked', options.failAfter);
  let eventsUpdated: number;
  try {
    eventsUpdated = await removeFromEvents(profile, by, now);
  } catch (error) {
    if (error instanceof AppError && error.code === 'LEGAL_HOLD') await audit(caller, retailerId!, id, 'denied', { code: 'LEGAL_HOLD' });
    throw error;
  }
  crashAfter('events', options.failAfter);
  const keysRemoved = await removeKeys(profile);
  crashAfter('keys', options.failAfter);
  const linksRemoved = await removeLinks(profile);
  crashAfter('links', options.failAfter);
  const result: ErasureResult = { profileId: id, eventsUpdated, keysRemoved, linksRemoved, erasedAt: now.toISOString() };
  const done = { eventsUpdated, keysRemoved, linksRemoved, resumed: profile.erasing?.at !== now.toISOString(), eventIds: profile.eventIds.slice(0, 100) };
  await settleAudit(retailerId!, key, undefined, (draft) => ({ ...draft, details: done }));
  await deleteProfile(profile);
  crashAfter('deleted', options.failAfter);
  return result;
}

function audit(caller: Caller, retailerId: string, id: string, outcome: 'success' | 'denied', details: Record<string, string | number | boolean | string[]>) {
  return auditFor(caller, retailerId, {
    action: 'profile.erase',
    target: { type: 'profile', id },
    outcome,
    details,
  });
}
