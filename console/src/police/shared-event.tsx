import { apiFor, problemText } from '../api';
import { Link } from '../link';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { purposeHeaders, type Purpose } from './purpose';
import { EventDetail } from '../events/event-detail';
import { EventMessages } from '../events/event-messages';
import type { StoredEvent } from '../events/event-text';

/** One shared event and its messages with the retailer, read with the stated purpose (each read is audited in the retailer's chain). */
export function SharedEvent(props: { session: Session; purpose: Purpose; id: string }) {
  const event = useLoad<StoredEvent>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/events/{id}', {
      params: { path: { id: props.id }, header: purposeHeaders(props.purpose) },
    });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token, props.purpose, props.id]);

  return (
    <>
      <p>
        <Link href="/police">Back to shared events</Link>
      </p>
      {event.state === 'loading' && <p role="status">Loading the event…</p>}
      {event.state === 'failed' && <p role="alert">{event.message}</p>}
      {event.state === 'done' && (
        <>
          <EventDetail event={event.value} />
          <EventMessages session={props.session} eventId={props.id} headers={purposeHeaders(props.purpose)} />
        </>
      )}
    </>
  );
}
