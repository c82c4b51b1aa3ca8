import { useEffect, useState } from 'preact/hooks';
import { apiFor, problemFieldErrors, problemText } from '../api';
import { formatTime } from '../events/event-text';
import { fieldId, TextField } from '../form-field';
import type { Session } from '../session';
import type { Profile } from './profile-text';

type Merge = Profile['history'][number];
/** Both profiles after the split; null for one with no report left (deleted since the merge). */
export type SplitOutcome = { survivor: Profile | null; restored: Profile | null };

/** Undo one merge (POST /profiles/{id}/split with its link and a reason, which the audit trail keeps). */
export function SplitForm(props: { session: Session; profile: Profile; merge: Merge; onSplit: (both: SplitOutcome) => void }) {
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<{ message: string; field?: string | undefined }>();
  const [busy, setBusy] = useState(false);
  const path = `split-${props.merge.linkId}.reason`;
  // The console's own refusal: back to the field it is about (its error is tied to it, so it is read out there).
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (refused) document.getElementById(fieldId(path))?.focus();
  }, [refused, path]);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!reason.trim()) {
      setFailure({ message: 'Say why the merge was wrong.', field: 'Say why the merge was wrong.' });
      return setRefused((n) => n + 1);
    }
    setBusy(true);
    try {
      const { data, error, response } = await apiFor(props.session.token).POST('/api/v1/profiles/{id}/split', {
        params: { path: { id: props.profile.id } },
        body: { linkId: props.merge.linkId, reason: reason.trim() },
      });
      if (data) props.onSplit(data);
      else setFailure({ message: problemText(error, response), field: problemFieldErrors(error).reason });
    } catch (error) {
      setFailure({ message: `The service could not be reached (${String(error)}).` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby={`${path}-title`} class="panel" noValidate>
      <h2 id={`${path}-title`}>Split the merge of {formatTime(props.merge.at)}</h2>
      <p>
        Profile <code>{props.merge.profileId}</code> was merged into this one. Splitting restores both as they were before, and keeps every
        event reported since with this profile (reports deleted since the merge do not come back).
      </p>
      <TextField path={path} label="Why the merge was wrong" multiline value={reason} onValue={setReason} error={failure?.field} />
      <button type="submit" disabled={busy}>
        Split
      </button>
      <div aria-live="polite">{failure && !failure.field && <p>{failure.message}</p>}</div>
    </form>
  );
}
