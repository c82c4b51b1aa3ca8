import type { components } from '../../../clients/ts/src/index';
import { apiFor } from '../api';
import { Link } from '../link';
import { profileNames } from '../profiles/profile-text';
import type { Session } from '../session';
import { useLoad } from '../use-load';

type Group = components['schemas']['Group'];

/**
 * One group: its members by name (the listing holds only profile ids, so each is read; one that
 * cannot be read is shown by its id), each opening its profile, and its events and loss.
 */
export function GroupCard(props: { session: Session; group: Group; number: number }) {
  const { group } = props;
  const names = useLoad<Record<string, string>>(async () => {
    const api = apiFor(props.session.token);
    const reads = await Promise.allSettled(group.members.map((id) => api.GET('/api/v1/profiles/{id}', { params: { path: { id } } })));
    const byId: Record<string, string> = {};
    reads.forEach((r, i) => {
      if (r.status === 'fulfilled' && r.value.data) byId[group.members[i]!] = profileNames(r.value.data);
    });
    return { value: byId };
  }, [props.session.token, group.members.join()]);
  const headingId = `group-${props.number}`;
  return (
    <article class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Group {props.number}: {group.members.length} people, {group.eventIds.length} event{group.eventIds.length === 1 ? '' : 's'} together, loss{' '}
        {group.totalLoss.toFixed(2)}
      </h2>
      <ul>
        {group.members.map((id) => (
          <li key={id}>
            <Link href={`/profiles/${encodeURIComponent(id)}`}>{names.state === 'done' ? (names.value[id] ?? `Profile ${id}`) : `Profile ${id}`}</Link>
          </li>
        ))}
      </ul>
    </article>
  );
}
