import type { ComponentChildren } from 'preact';
import { apiFor, problemText } from '../api';
import { Link } from '../link';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { purposeHeaders, type Purpose } from './purpose';
import { formatTime, typeName, type StoredEvent } from './event-text';

/** One shared event, read with the stated purpose (the read is audited in the retailer's chain). */
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
      {event.state === 'done' && <EventDetail event={event.value} />}
    </>
  );
}

function EventDetail({ event }: { event: StoredEvent }) {
  const loss = (event.products ?? []).reduce((sum, p) => sum + p.quantity * p.unitValue, 0);
  return (
    <article aria-labelledby="event-title">
      <h2 id="event-title">
        {typeName(event.type)} at {event.storeId}, {formatTime(event.occurredAt)}
      </h2>
      <dl class="facts">
        <dt>Retailer</dt>
        <dd>{event.retailerId}</dd>
        <dt>Prevented</dt>
        <dd>{event.prevented ? 'Yes' : 'No'}</dd>
        {event.violence && (
          <>
            <dt>Violence</dt>
            <dd>
              {event.violence.used ? 'Used' : event.violence.threatened ? 'Threatened' : 'None'}; weapon: {event.violence.weapon}
            </dd>
          </>
        )}
        {event.products?.length ? (
          <>
            <dt>Loss</dt>
            <dd>
              {loss.toFixed(2)} {event.currency ?? ''}
            </dd>
          </>
        ) : null}
        <dt>Event id</dt>
        <dd>
          <code>{event.id}</code>
        </dd>
      </dl>
      {event.description && (
        <>
          <h3>Description</h3>
          <p>{event.description}</p>
        </>
      )}
      <ListSection title="People" items={event.people} keyOf={(person) => person.ref}>
        {(person) => (
          <>
            <strong>{[person.name?.given, person.name?.family].filter(Boolean).join(' ') || 'Unnamed'}</strong> ({person.role})
            {person.ageRange && `, aged ${person.ageRange.min} to ${person.ageRange.max}`}
            {person.heightCm && `, ${person.heightCm} cm`}
            {person.build && `, ${person.build} build`}
            {person.clothing && `; wearing ${person.clothing}`}
            {person.distinguishingFeatures?.length ? `; ${person.distinguishingFeatures.join('; ')}` : ''}
          </>
        )}
      </ListSection>
      <ListSection title="Vehicles" items={event.vehicles} keyOf={(vehicle) => vehicle.normalisedPlate}>
        {(vehicle) => (
          <>
            <strong>{vehicle.plate}</strong> {[vehicle.colour, vehicle.make, vehicle.model].filter(Boolean).join(' ')}
          </>
        )}
      </ListSection>
      <ListSection title="Products" items={event.products ?? []} keyOf={(_, i) => String(i)}>
        {(product) => `${product.quantity} × ${product.name} at ${product.unitValue.toFixed(2)}`}
      </ListSection>
    </article>
  );
}

/** A heading and a list of an event's items, left out when there are none. */
function ListSection<T>(props: { title: string; items: readonly T[]; keyOf: (item: T, index: number) => string; children: (item: T) => ComponentChildren }) {
  if (props.items.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul>
        {props.items.map((item, i) => (
          <li key={props.keyOf(item, i)}>{props.children(item)}</li>
        ))}
      </ul>
    </>
  );
}
