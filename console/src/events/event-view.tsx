import { apiFor, problemText } from '../api';
import { ShowImages } from '../evidence/show-images';
import { Link } from '../link';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { ViewHeading } from '../view-heading';
import { EventDetail } from './event-detail';
import { EventMessages } from './event-messages';
import type { StoredEvent } from './event-text';

/**
 * One of the retailer's events as an investigator reads it: the event, its evidence (each with its
 * chain of custody; the images on request), and the conversation with the police about it.
 */
export function EventView(props: { session: Session; id: string }) {
  const event = useLoad<StoredEvent>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/events/{id}', { params: { path: { id: props.id } } });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token, props.id]);
  const evidence = event.state === 'done' ? (event.value.evidence ?? []) : [];
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>Event</ViewHeading>
      {event.state === 'loading' && <p role="status">Loading the event…</p>}
      {event.state === 'failed' && <p role="alert">{event.message}</p>}
      {event.state === 'done' && (
        <>
          <EventDetail event={event.value} />
          {evidence.length > 0 && (
            <>
              <h3>Evidence</h3>
              <ul>
                {evidence.map((e) => (
                  <li key={e.id}>
                    {e.kind} ({e.status}){' '}
                    <Link href={`/custody/${encodeURIComponent(e.id)}`}>
                      Chain of custody <span class="visually-hidden">of {e.kind} {e.id}</span>
                    </Link>
                  </li>
                ))}
              </ul>
              <ShowImages session={props.session} events={[event.value]} of="this event" />
            </>
          )}
          <EventMessages session={props.session} eventId={props.id} />
        </>
      )}
    </section>
  );
}
