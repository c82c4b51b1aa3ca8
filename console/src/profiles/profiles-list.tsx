import { useState } from 'preact/hooks';
import { apiFor, problemText } from '../api';
import { formatTime } from '../events/event-text';
import { Link } from '../link';
import type { Session } from '../session';
import { ShowMore, usePages } from '../pages';
import { ViewHeading } from '../view-heading';
import { profileNames, type Profile } from './profile-text';

/** The default risk tiers (PRODUCT §6b); a retailer may name others, typed into the same field. */
const DEFAULT_TIERS = ['extreme-threat', 'serious-threat', 'high-loss'];
const PAGE_SIZE = 25;

/**
 * Profiles ranked by harm (Investigator; PRODUCT §4 and §6b), optionally only those in one risk
 * tier: each with its harm score and why, its tiers and why, and a link to the profile.
 */
export function ProfilesList(props: { session: Session }) {
  const [tierInput, setTierInput] = useState('');
  const [tier, setTier] = useState('');
  const { page, items, loadingFirst, more, restart } = usePages<Profile>(async (continuationToken) => {
    const query = { sort: 'harm' as const, pageSize: PAGE_SIZE, ...(tier ? { riskTier: tier } : {}), ...(continuationToken ? { continuationToken } : {}) };
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/profiles', { params: { query } });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token, tier]);
  const filter = (e: Event) => {
    e.preventDefault();
    restart();
    setTier(tierInput.trim());
  };
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>Profiles by harm</ViewHeading>
      <form class="row" onSubmit={filter} aria-label="Which profiles">
        <div class="field">
          <label for="f-riskTier">Risk tier</label>
          <input id="f-riskTier" list="risk-tiers" value={tierInput} onInput={(e) => setTierInput(e.currentTarget.value)} aria-describedby="f-riskTier-hint" />
          <datalist id="risk-tiers">
            {DEFAULT_TIERS.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <p id="f-riskTier-hint" class="hint">
            Empty for every profile; e.g. {DEFAULT_TIERS.join(', ')}.
          </p>
        </div>
        <div class="field actions">
          <button type="submit">Show profiles</button>
        </div>
      </form>
      {loadingFirst && <p role="status">Loading profiles…</p>}
      {page.state === 'failed' && <p role="alert">{page.message}</p>}
      {page.state !== 'failed' && !loadingFirst && items.length === 0 && <p role="status">No profiles{tier ? ` in the ${tier} tier` : ''}.</p>}
      {items.length > 0 && (
        <table>
          <caption>
            {items.length} profile{items.length === 1 ? '' : 's'}
            {tier ? ` in the ${tier} tier` : ''}, most harm first
          </caption>
          <thead>
            <tr>
              <th scope="col">Harm</th>
              <th scope="col">Person</th>
              <th scope="col">Why</th>
              <th scope="col">Risk tiers</th>
              <th scope="col">Events</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {items.map((profile) => (
              <tr key={profile.id}>
                <td class="nowrap">{profile.harm.toFixed(1)}</td>
                <td>
                  <Link href={`/profiles/${encodeURIComponent(profile.id)}`}>{profileNames(profile)}</Link>
                </td>
                <td>{profile.harmReasons.map((r) => r.detail).join('; ') || 'None recorded'}</td>
                <td>
                  {profile.riskTiers.length === 0
                    ? 'None'
                    : profile.riskTiers.map((t) => (
                        <p key={t.name} class="tier">
                          <strong>{t.name}</strong>: {t.reason}
                        </p>
                      ))}
                </td>
                <td>{profile.eventIds.length}</td>
                <td>{profile.lastOccurredAt ? formatTime(profile.lastOccurredAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ShowMore more={more} />
    </section>
  );
}
