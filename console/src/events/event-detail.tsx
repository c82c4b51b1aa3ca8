import type { ComponentChildren } from 'preact';
import { formatTime, typeName, type StoredEvent } from './event-text';

/** An event as people read it: what happened, where and when, who and what was involved. */
export function EventDetail({ event }: { event: StoredEvent }) {
  const loss = (event.products ?? []).reduce((sum, p) => sum + p.quantity * p.unitValue, 0);
  return (
    <article aria-labelledby={`event-${event.id}`}>
      <h2 id={`event-${event.id}`}>
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
