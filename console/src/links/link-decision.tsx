import { useEffect, useRef, useState } from 'preact/hooks';
import { apiFor, problemFieldErrors, problemText } from '../api';
import { TextField } from '../form-field';
import { Link } from '../link';
import type { LinkSuggestion } from '../profiles/profile-text';
import { navigate } from '../router';
import type { Session } from '../session';

type Outcome = { state: 'idle' | 'running' } | { state: 'rejected' } | { state: 'linked' } | { state: 'failed'; message: string; note?: string | undefined };

/**
 * Accept (merge into the profile on record, or record a link with another retailer's) or reject
 * (remembered: the pair is never suggested again), with a note kept with the decision and screened
 * like any free text. An accepted merge opens the merged profile, where it can be split again.
 */
export function LinkDecision(props: { session: Session; link: LinkSuggestion; crossRetailer: boolean }) {
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  // The form the focus was in is gone once decided: the focus moves to what took its place.
  const done = useRef<HTMLParagraphElement>(null);
  useEffect(() => done.current?.focus(), [outcome.state]);
  const decide = async (decision: 'accept' | 'reject') => {
    setOutcome({ state: 'running' });
    try {
      const body = { decision, ...(note.trim() ? { note: note.trim() } : {}) };
      const { data, error, response } = await apiFor(props.session.token).POST('/api/v1/links/{id}/decision', { params: { path: { id: props.link.id } }, body });
      if (!data) return setOutcome({ state: 'failed', message: problemText(error, response), note: problemFieldErrors(error).note });
      if (decision === 'reject') return setOutcome({ state: 'rejected' });
      if (props.crossRetailer) return setOutcome({ state: 'linked' });
      navigate(`/profiles/${encodeURIComponent(data.candidate.profileId)}`);
    } catch (error) {
      setOutcome({ state: 'failed', message: `The service could not be reached (${String(error)}).` });
    }
  };
  if (outcome.state === 'rejected')
    return (
      <p class="ok" role="status" tabIndex={-1} ref={done}>
        Rejected: these two will not be suggested again. <Link href="/links">Back to the suggestions</Link>
      </p>
    );
  if (outcome.state === 'linked')
    return (
      <p class="ok" role="status" tabIndex={-1} ref={done}>
        Linked with the other retailer's profile (each keeps its own). <Link href="/links">Back to the suggestions</Link>
      </p>
    );
  return (
    <form onSubmit={(e) => e.preventDefault()} aria-labelledby="decision-title" class="panel" noValidate>
      <h2 id="decision-title">Your decision</h2>
      <TextField
        path="note"
        label="Note (optional)"
        multiline
        value={note}
        onValue={setNote}
        error={outcome.state === 'failed' ? outcome.note : undefined}
        hint="What convinced you, e.g. same date of birth and phone; kept with the decision and in the audit trail."
      />
      <div class="row">
        <button type="button" onClick={() => void decide('accept')} disabled={outcome.state === 'running'}>
          {props.crossRetailer ? 'Accept: link them' : 'Accept: merge into the profile on record'}
        </button>
        <button type="button" class="secondary" onClick={() => void decide('reject')} disabled={outcome.state === 'running'}>
          Reject: not the same person
        </button>
      </div>
      <div aria-live="polite">{outcome.state === 'failed' && <p>{outcome.message}</p>}</div>
    </form>
  );
}
