import { useState } from 'preact/hooks';
import type { components } from '../../../clients/ts/src/index';
import { apiFor, problemText } from '../api';
import { formatTime } from '../events/event-text';
import { TextField } from '../form-field';
import type { Session } from '../session';

export type ProfileHit = components['schemas']['ProfileSearchHit'];
type Outcome = { state: 'idle' | 'running' } | { state: 'done'; hits: ProfileHit[] } | { state: 'failed'; message: string };

/**
 * "Have we seen this person before?" (PRODUCT §4, the person lookup before reporting): profiles the
 * caller may see, ranked, by name, plate, phone or feature, sent in the body (§10c: no personal
 * value in a URL). A match can be attached to a person in the report, so the event joins that
 * profile instead of starting a new one.
 */
export function PersonLookup(props: { session: Session; onAttach: (hit: ProfileHit) => void; attached: readonly string[] }) {
  const [query, setQuery] = useState({ name: '', plate: '', phone: '' });
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const search = async (event: Event) => {
    event.preventDefault();
    const body = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
    if (!Object.keys(body).length) return setOutcome({ state: 'failed', message: 'Give a name, a plate or a phone number to look for.' });
    setOutcome({ state: 'running' });
    try {
      const { data, error, response } = await apiFor(props.session.token).POST('/api/v1/profiles/search', { body });
      setOutcome(data ? { state: 'done', hits: data.items } : { state: 'failed', message: problemText(error, response) });
    } catch (error) {
      setOutcome({ state: 'failed', message: `The service could not be reached (${String(error)}).` });
    }
  };
  const set = (key: keyof typeof query) => (value: string) => setQuery({ ...query, [key]: value });
  return (
    <section aria-labelledby="lookup-title" class="panel">
      <h2 id="lookup-title">Look for the person first</h2>
      <form onSubmit={search} aria-label="Person lookup" noValidate>
        <div class="row">
          <TextField path="lookup.name" label="Name" value={query.name} onValue={set('name')} autoComplete="off" />
          <TextField path="lookup.plate" label="Plate" value={query.plate} onValue={set('plate')} autoComplete="off" />
          <TextField path="lookup.phone" label="Phone" value={query.phone} onValue={set('phone')} autoComplete="off" inputMode="tel" />
          <div class="field actions">
            <button type="submit" disabled={outcome.state === 'running'}>
              Look up
            </button>
          </div>
        </div>
      </form>
      <div aria-live="polite">
        {outcome.state === 'running' && <p>Looking…</p>}
        {outcome.state === 'failed' && <p role="alert">{outcome.message}</p>}
        {outcome.state === 'done' && outcome.hits.length === 0 && <p>No one on record matches. Report the person as new.</p>}
        {outcome.state === 'done' && outcome.hits.length > 0 && (
          <table>
            <caption>{outcome.hits.length} possible match{outcome.hits.length === 1 ? '' : 'es'}, closest first</caption>
            <thead>
              <tr>
                <th scope="col">Known as</th>
                <th scope="col">Events</th>
                <th scope="col">Last seen</th>
                <th scope="col">Why it matches</th>
                <th scope="col">Report</th>
              </tr>
            </thead>
            <tbody>
              {outcome.hits.map((hit) => (
                <tr key={hit.profileId}>
                  <td>{namesOf(hit)}</td>
                  <td>{hit.events}</td>
                  <td>{hit.lastOccurredAt ? formatTime(hit.lastOccurredAt) : '—'}</td>
                  <td>{hit.reasons.map((r) => r.detail).join('; ')}</td>
                  <td>
                    {props.attached.includes(hit.profileId) ? (
                      'Attached'
                    ) : (
                      <button type="button" onClick={() => props.onAttach(hit)}>
                        Attach <span class="visually-hidden">{namesOf(hit)}</span> to this report
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

export const namesOf = (hit: { names: { given?: string; family?: string }[] }): string =>
  hit.names.map((n) => [n.given, n.family].filter(Boolean).join(' ')).filter(Boolean).join(', ') || 'No name recorded';
