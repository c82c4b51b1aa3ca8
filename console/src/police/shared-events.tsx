import type { components } from '../../../clients/ts/src/index';
import { apiFor, problemText } from '../api';
import { Link } from '../link';
import type { Session } from '../session';
import { useLoad } from '../use-call';
import { purposeHeaders, type Purpose } from './purpose';

const PAGE_SIZE = 25;

/** The newest events shared with the agency, each opened on its own page. */
export function SharedEvents(props: { session: Session; purpose: Purpose }) {
  const events = useLoad<components['schemas']['Event'][]>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/events', {
      params: { query: { pageSize: PAGE_SIZE }, header: purposeHeaders(props.purpose) },
    });
    return data ? { value: data.items } : { message: problemText(error, response) };
  }, [props.session.token, props.purpose]);

  if (events.state === 'loading') return <p role="status">Loading shared events…</p>;
  if (events.state === 'failed') return <p role="alert">{events.message}</p>;
  if (events.value.length === 0) return <p role="status">No events are shared with your agency.</p>;
  return (
    <table>
      <caption>The {events.value.length} newest shared events</caption>
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
        {events.value.map((event) => (
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
  );
}

export const formatTime = (iso: string): string =>
  new Date(iso).toLocaleString('en-NZ', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

/** An event type as a person reads it: 'cash-theft' → 'Cash theft'. */
export const typeName = (type: string): string => type[0]!.toUpperCase() + type.slice(1).replace(/-/g, ' ');
