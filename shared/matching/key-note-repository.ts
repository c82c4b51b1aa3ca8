import { createOperation, deleteGrouped, type OperationInput } from '../adapters/cosmos-batch';
import { container, inOrganisation } from '../adapters/cosmos-containers';

/**
 * The key changes of one profile write, noted in the profile's own batch and removed once the key
 * documents are written. The key documents are other documents, written after the profile: a
 * crash or a store fault in between would leave the profile listing keys that do not list it, and
 * a retry finds nothing to change. A note left behind is found by the matching sweep once older
 * than any writer runs, and its keys are brought in line with the profile. Each writer has its own
 * note, so writers of one profile at once never replay each other's changes. Key document ids
 * only (the kind and a hash of the value, matchKeyDocId, as the key documents themselves), never a
 * value in clear; an erased profile's note goes with the sweep's next run.
 */
export interface KeyNoteDoc {
  id: string;
  orgId: string;
  docType: 'key-note';
  profileId: string;
  at: string;
  /** Key documents the write added the profile to, and removed it from. */
  add: string[];
  remove: string[];
}

/** In the profile's shard ('@' and its id), so that it rides in the profile's batch. */
export const keyNoteId = (writeId: string, profileId: string): string => `key-note:${writeId}@${profileId}`;

export function keyNoteOperation(note: KeyNoteDoc): OperationInput {
  return createOperation(note);
}

/** Re-indexes finishing together remove their notes in one round trip. */
export function clearKeyNote(retailerId: string, id: string): Promise<void> {
  return deleteGrouped('profiles', retailerId, id);
}

/** At most `max` notes, of any retailer (or of `orgId`), written before `cutoff`. */
export async function overdueKeyNotes(cutoff: Date, max: number, orgId?: string): Promise<KeyNoteDoc[]> {
  const { resources } = await container('profiles')
    .items.query<KeyNoteDoc>({
      query: `SELECT TOP ${Math.trunc(max)} * FROM c WHERE c.docType = 'key-note' AND c.at < @cutoff${orgId ? ' AND c.orgId = @orgId' : ''}`,
      parameters: [{ name: '@cutoff', value: cutoff.toISOString() }, ...(orgId ? [{ name: '@orgId', value: orgId }] : [])],
    }, orgId ? inOrganisation('profiles', orgId) : {})
    .fetchAll();
  return resources;
}
