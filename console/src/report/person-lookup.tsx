import { useState } from 'preact/hooks';
import type { components } from '../../../clients/ts/src/index';
import { apiFor, problemFieldErrors, problemText } from '../api';
import { formatTime } from '../events/event-text';
import { TextField } from '../form-field';
import { namesText } from '../profiles/profile-text';
import type { Session } from '../session';
import { normalisePhone } from './report-rules';

export type ProfileHit = components['schemas']['ProfileSearchHit'];
type Outcome = { state: 'idle' | 'running' } | { state: 'done'; hits: ProfileHit[] } | { state: 'failed'; message: string; fields?: Record<string, string> };

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
    // The phone as the report form sends it, so a number typed with spaces finds the one on record.
    const typed = { ...query, phone: normalisePhone(query.phone) };
    const body = Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
    if (!Object.keys(body).length) return setOutcome({ state: 'failed', message: 'Give a name, a plate or a phone number to look for.' });
    setOutcome({ state: 'running' });
    try {
      const { data, error, response } = await apiFor(props.session.token).POST('/api/v1/profiles/search', { body });
      setOutcome(data ? { state: 'done', hits: data.items } : { state: 'failed', message: problemText(error, response), fields: problemFieldErrors(error) });
    } catch (error) {
      setOutcome({ state: 'failed', message: `The service could not be reached (${String(error)}).` });
    }
  };
  const set = (key: keyof typeof query) => (value: string) => setQuery({ ...query, [key]: value });
  // The API's problem beside the field it names (the body's paths: name, plate, phone).
  const fieldError = (key: keyof typeof query) => (outcome.state === 'failed' ? outcome.fields?.[key] : undefined);
  return (
    <section aria-labelledby="lookup-title" class="panel">
      <h2 id="lookup-title">Look for the person first</h2>
      <form onSubmit={search} aria-label="Person lookup" noValidate>
        <div class="row">
          <TextField path="lookup.name" label="Name" value={query.name} onValue={set('name')} error={fieldError('name')} autoComplete="off" />
          <TextField path="lookup.plate" label="Plate" value={query.plate} onValue={set('plate')} error={fieldError('plate')} autoComplete="off" />
          <TextField path="lookup.phone" label="Phone" value={query.phone} onValue={set('phone')} error={fieldError('phone')} autoComplete="off" inputMode="tel" />
          <div class="field actions">
            <button type="submit" disabled={outcome.state === 'running'}>
              Look up
            </button>
          </div>
        </div>
      </form>
      <div aria-live="polite">
        {outcome.state === 'running' && <p>Looking…</p>}
        {outcome.state === 'failed' && <p>{outcome.message}</p>}
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
                  <td>{namesText(hit.names)}</td>
                  <td>{hit.events}</td>
                  <td>{hit.lastOccurredAt ? formatTime(hit.lastOccurredAt) : '—'}</td>
                  <td>{hit.reasons.map((r) => r.detail).join('; ')}</td>
                  <td>
                    {props.attached.includes(hit.profileId) ? (
                      'Attached'
                    ) : (
                      <button type="button" onClick={() => props.onAttach(hit)}>
                        Attach <span class="visually-hidden">{namesText(hit.names)}</span> to this report
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
