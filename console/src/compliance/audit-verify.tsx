import { useState } from 'preact/hooks';
import type { paths } from '../../../clients/ts/src/index';
import { apiFor, problemText, type Problem } from '../api';
import type { Session } from '../session';

type Verification = paths['/api/v1/audit/verify']['get']['responses'][200]['content']['application/json'];
type Outcome = { state: 'idle' | 'running' } | { state: 'done'; result: Verification } | { state: 'failed'; message: string };

/** Recomputes the chain on the service and says whether it holds. */
export function AuditVerify(props: { session: Session }) {
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const verify = async () => {
    setOutcome({ state: 'running' });
    try {
      const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/audit/verify');
      setOutcome(data ? { state: 'done', result: data } : { state: 'failed', message: problemText(error as Problem | undefined, response) });
    } catch (error) {
      setOutcome({ state: 'failed', message: `The service could not be reached (${String(error)}).` });
    }
  };
  return (
    <section aria-labelledby="verify-title" class="panel">
      <h2 id="verify-title">Verify the chain</h2>
      <button type="button" onClick={verify} disabled={outcome.state === 'running'}>
        Verify audit chain
      </button>
      <div aria-live="polite">
        {outcome.state === 'running' && <p>Verifying…</p>}
        {outcome.state === 'done' &&
          (outcome.result.ok ? (
            <p class="ok">The chain is intact: {outcome.result.entries} entries, each linked to the one before.</p>
          ) : (
            <p class="bad" role="alert">
              The chain is broken at entry {outcome.result.firstBadSeq ?? 'unknown'} ({outcome.result.entries} entries checked).
            </p>
          ))}
        {outcome.state === 'failed' && <p role="alert">{outcome.message}</p>}
      </div>
    </section>
  );
}
