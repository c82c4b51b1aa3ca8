import { useEffect, useRef, useState } from 'preact/hooks';
import { apiFor, problemText } from '../api';
import { Link } from '../link';
import type { Session } from '../session';
import { formatTime, typeName, type StoredEvent } from '../events/event-text';
import { purposeHeaders, type Purpose } from './purpose';

type Listing = { items: StoredEvent[]; next: string | null };
type Filter = { from: string; to: string };

const PAGE_SIZE = 25;

/** Events shared with the agency, newest first, by the day they happened; each opened on its own page. */
export function SharedEvents(props: { session: Session; purpose: Purpose }) {
  const [filter, setFilter] = useState<Filter>({ from: '', to: '' });
  const [listing, setListing] = useState<Listing | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // Only the latest request may write: a slow answer for an older filter is dropped.
  const latest = useRef(0);

  const load = async (after?: Listing) => {
    const ticket = ++latest.current;
    setBusy(true);
    setFailure(undefined);
    try {
      const query = {
        pageSize: PAGE_SIZE,
        ...(filter.from ? { from: `${filter.from}T00:00:00Z` } : {}),
        ...(filter.to ? { to: `${filter.to}T23:59:59.999Z` } : {}),
        ...(after?.next ? { continuationToken: after.next } : {}),
      };
      const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/events', {
        params: { query, header: purposeHeaders(props.purpose) },
      });
      if (ticket !== latest.current) return;
      if (data) setListing({ items: [...(after?.items ?? []), ...data.items], next: data.continuationToken ?? null });
      else setFailure(problemText(error, response));
    } catch (error) {
      if (ticket === latest.current) setFailure(`The service could not be reached (${String(error)}).`);
    } finally {
      if (ticket === latest.current) setBusy(false);
    }
  };
  useEffect(() => {
    setListing(undefined);
    void load();
  }, [props.session.token, props.purpose, filter]);

  return (
    <>
      <FilterForm onFilter={setFilter} />
      {failure && <p role="alert">{failure}</p>}
      {!listing && busy && <p role="status">Loading shared events…</p>}
      {listing && listing.items.length === 0 && <p role="status">No events shared with your agency match.</p>}
      {listing && listing.items.length > 0 && (
        <table>
          <caption>
            {listing.items.length} shared event{listing.items.length === 1 ? '' : 's'}, newest first{filter.from || filter.to ? `, ${filter.from || '…'} to ${filter.to || '…'}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Type</th>
              <th scope="col">Retailer</th>
              <th scope="col">Store</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {listing.items.map((event) => (
              <tr key={event.id}>
                <td>{formatTime(event.occurredAt)}</td>
                <td>{typeName(event.type)}</td>
                <td>{event.retailerId}</td>
                <td>{event.storeId}</td>
                <td>
                  <Link href={`/police/events/${encodeURIComponent(event.id)}`}>
                    Open <span class="visually-hidden">{`${typeName(event.type)} at ${event.storeId}, ${formatTime(event.occurredAt)}`}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {listing?.next && (
        <p>
          <button type="button" onClick={() => void load(listing)} disabled={busy}>
            Show more
          </button>
        </p>
      )}
    </>
  );
}

function FilterForm(props: { onFilter: (filter: Filter) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    props.onFilter({ from, to });
  };
  return (
    <form onSubmit={submit} aria-label="Filter shared events">
      <div class="row">
        <div class="field">
          <label for="events-from">Happened from</label>
          <input id="events-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="events-to">Happened to</label>
          <input id="events-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div class="field actions">
          <button type="submit">Show events</button>
        </div>
      </div>
    </form>
  );
}
