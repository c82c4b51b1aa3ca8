import { apiFor, problemText } from '../api';
import { formatTime, typeName, type StoredEvent } from '../events/event-text';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { profileNames, type Profile } from './profile-text';

/** Events read per profile: enough to judge a suggestion; the rest are counted. */
const SHOWN_EVENTS = 10;

/**
 * One profile as an investigator weighs it: what is recorded about the person, their harm and
 * risk tiers, and their events. Evidence is listed, not shown: a picture is only a download
 * (MFA, audited; PRODUCT §3), and the API offers no thumbnail.
 */
export function ProfilePanel(props: { session: Session; profile: Profile; title: string }) {
  const { profile } = props;
  const person = profile.person;
  const events = useLoad<StoredEvent[]>(async () => {
    const api = apiFor(props.session.token);
    const reads = await Promise.all(profile.eventIds.slice(0, SHOWN_EVENTS).map((id) => api.GET('/api/v1/events/{id}', { params: { path: { id } } })));
    const failed = reads.find((r) => !r.data);
    if (failed) return { message: problemText(failed.error, failed.response) };
    const value = reads.map((r) => r.data!).sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
    return { value };
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
          {events.value.map((event) => (
            <EventLine key={event.id} event={event} profileId={profile.id} />
          ))}
          {profile.eventIds.length > SHOWN_EVENTS && <li>and {profile.eventIds.length - SHOWN_EVENTS} earlier</li>}
        </ul>
      )}
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
        {typeName(event.type)} at {event.storeId}
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
