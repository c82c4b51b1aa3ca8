import { apiFor, problemText } from '../api';
import { formatTime, typeName, type StoredEvent } from '../events/event-text';
import { ShowImages } from '../evidence/show-images';
import { Link } from '../link';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { profileNames, type Profile } from './profile-text';

/** Events read per profile, the last to join it: enough to judge a suggestion; the others are counted. */
const SHOWN_EVENTS = 10;

/**
 * One profile as an investigator weighs it: what is recorded about the person, their harm and
 * risk tiers, and their events. Evidence is listed; its images are shown only on request, to a
 * viewer the API lets download them: a picture is a download (MFA, audited; PRODUCT §3), and the
 * API offers no thumbnail.
 */
export function ProfilePanel(props: { session: Session; profile: Profile; title: string }) {
  const { profile } = props;
  const person = profile.person;
  // Each read on its own: one event that cannot be read (erased, not shared) leaves the others listed, and is named.
  const events = useLoad<{ read: StoredEvent[]; unreadable: { id: string; message: string }[] }>(async () => {
    const api = apiFor(props.session.token);
    // eventIds is in the order the events joined the profile (a merge appends the merged one's): the latest last.
    const ids = profile.eventIds.slice(-SHOWN_EVENTS);
    const reads = await Promise.allSettled(ids.map((id) => api.GET('/api/v1/events/{id}', { params: { path: { id } } })));
    const read: StoredEvent[] = [];
    const unreadable: { id: string; message: string }[] = [];
    reads.forEach((r, i) => {
      if (r.status === 'fulfilled' && r.value.data) read.push(r.value.data);
      else unreadable.push({ id: ids[i]!, message: r.status === 'fulfilled' ? problemText(r.value.error, r.value.response) : `The service could not be reached (${String(r.reason)}).` });
    });
    return { value: { read: read.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)), unreadable } };
  }, [props.session.token, profile.id, profile.eventIds.join()]);
  const headingId = `profile-${profile.id}`;
  return (
    <article aria-labelledby={headingId} class="panel">
      <h2 id={headingId}>
        {props.title}: {profileNames(profile)}
      </h2>
      <dl class="facts">
        <dt>Profile</dt>
        <dd>
          <code>{profile.id}</code>
        </dd>
        {person.dobs.length > 0 && <Fact term="Date of birth" values={person.dobs} />}
        {person.phones.length > 0 && <Fact term="Phone" values={person.phones} />}
        {person.plates.length > 0 && <Fact term="Plates" values={person.plates} />}
        {person.features.length > 0 && <Fact term="Features" values={person.features} />}
        <dt>Harm</dt>
        <dd>
          {profile.harm.toFixed(1)}
          {profile.harmReasons.length > 0 && ` (${profile.harmReasons.map((r) => r.detail).join('; ')})`}
        </dd>
        {profile.riskTiers.length > 0 && <Fact term="Risk tiers" values={profile.riskTiers.map((t) => `${t.name}: ${t.reason}`)} />}
      </dl>
      <h3>
        {profile.eventIds.length} event{profile.eventIds.length === 1 ? '' : 's'}
      </h3>
      {events.state === 'loading' && <p role="status">Loading the events…</p>}
      {events.state === 'failed' && <p role="alert">{events.message}</p>}
      {events.state === 'done' && (
        <ul class="events">
          {events.value.read.map((event) => (
            <EventLine key={event.id} event={event} profileId={profile.id} />
          ))}
          {events.value.unreadable.map(({ id, message }) => (
            <li key={id}>
              Event <code>{id}</code> could not be read: {message}
            </li>
          ))}
          {profile.eventIds.length > SHOWN_EVENTS && <li>and {profile.eventIds.length - SHOWN_EVENTS} that joined it earlier</li>}
        </ul>
      )}
      {events.state === 'done' && <ShowImages session={props.session} events={events.value.read} of={`${props.title}: ${profileNames(profile)}`} />}
    </article>
  );
}

function Fact(props: { term: string; values: string[] }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.values.join('; ')}</dd>
    </>
  );
}

/** An event in a profile: when, what and where, this person as recorded in it, and its evidence. */
function EventLine({ event, profileId }: { event: StoredEvent; profileId: string }) {
  const person = event.people.find((p) => p.profileId === profileId);
  const evidence = event.evidence ?? [];
  return (
    <li>
      <strong>
        <Link href={`/events/${encodeURIComponent(event.id)}`}>
          {typeName(event.type)} at {event.storeId}
        </Link>
      </strong>
      , {formatTime(event.occurredAt)}
      {person && (
        <p class="hint">
          Recorded as {[person.name?.given, person.name?.family].filter(Boolean).join(' ') || 'unnamed'}
          {person.dateOfBirth && `, born ${person.dateOfBirth}`}
          {person.clothing && `, wearing ${person.clothing}`}
          {person.distinguishingFeatures?.length ? `; ${person.distinguishingFeatures.join('; ')}` : ''}
        </p>
      )}
      {event.description && <p class="hint">{event.description}</p>}
      {evidence.length > 0 && (
        <p class="hint">
          Evidence: {evidence.map((e) => `${e.kind} (${e.status}${e.mediaType ? `, ${e.mediaType}` : ''})`).join('; ')}
        </p>
      )}
    </li>
  );
}
