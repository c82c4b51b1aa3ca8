import { ConflictError } from '../errors';

/** A split started and not finished: the suggestion whose merge it undoes, and the profile it is asked of. */
export interface SplitUnderWay {
  linkId: string;
  intoId: string;
}

/**
 * 409 SPLIT_UNFINISHED: while a split is stopped part-way, an erasure or a merge of either profile
 * waits for it (asking for the split again finishes it), so no report moves out from under an
 * erasure and the split is never left unable to finish. The answer says which split to ask for.
 */
export function splitUnfinished(splits: readonly SplitUnderWay[], blocked: 'erase' | 'accept'): ConflictError {
  const asks = splits.map((s) => `POST /api/v1/profiles/${s.intoId}/split with linkId ${s.linkId}`).join('; ');
  return new ConflictError('SPLIT_UNFINISHED', `A split of a merge of this profile was started and not finished: ask for it again (${asks}), then ${blocked}.`);
}
