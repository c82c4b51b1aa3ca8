import { useState } from 'preact/hooks';
import type { components } from '../../../clients/ts/src/index';
import { apiFor, problemText } from '../api';
import { formatTime } from '../events/event-text';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { ViewHeading } from '../view-heading';

type Custody = components['schemas']['CustodyReport'];

/**
 * An evidence item's chain of custody (Compliance, Investigator; PRODUCT §3): every audit entry
 * about it in order, with the SHA-256 recorded at intake. Re-hashing the stored bytes reads the whole
 * blob, so it is asked for by a button, not done on every opening.
 */
export function CustodyView(props: { session: Session; id: string }) {
  const [verify, setVerify] = useState(false);
  const report = useLoad<Custody>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/evidence/{id}/custody', {
      params: { path: { id: props.id }, ...(verify ? { query: { verify: true } } : {}) },
    });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token, props.id, verify]);
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>Chain of custody</ViewHeading>
      {report.state === 'loading' && <p role="status">{verify ? 'Re-hashing the stored bytes…' : 'Loading the chain of custody…'}</p>}
      {report.state === 'failed' && <p role="alert">{report.message}</p>}
      {report.state === 'done' && (
        <>
          <dl class="facts">
            <dt>Evidence</dt>
            <dd>
              <code>{report.value.evidenceId}</code>
            </dd>
            <dt>Status</dt>
            <dd>{report.value.status}</dd>
            <dt>SHA-256 at intake</dt>
            <dd>
              <code class="hash">{report.value.sha256 ?? 'not yet computed'}</code>
            </dd>
            <dt>Stored bytes</dt>
            <dd aria-live="polite">
              {report.value.verified === null ? (
                'not checked'
              ) : report.value.verified ? (
                <span class="ok">still hash to the recorded SHA-256</span>
              ) : (
                <span class="bad">do NOT hash to the recorded SHA-256</span>
              )}
            </dd>
          </dl>
          {!verify && (
            <p>
              <button type="button" onClick={() => setVerify(true)}>
                Verify the stored bytes
              </button>
            </p>
          )}
          <table>
            <caption>Every audit entry about this item, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Entry</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {report.value.entries.map((entry) => (
                <tr key={entry.seq}>
                  <td>{entry.seq}</td>
                  <td>{formatTime(entry.at)}</td>
                  <td>
                    {entry.actor.sub} ({[entry.actor.org ?? 'no organisation', ...entry.actor.roles].join('; ')})
                  </td>
                  <td>{entry.action}</td>
                  <td>{entry.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
