import type { components } from '../../../clients/ts/src/index';
import { apiFor, problemText } from '../api';
import type { Session } from '../session';
import { ShowMore, usePages } from '../pages';
import { ViewHeading } from '../view-heading';
import { GroupCard } from './group-card';

type Group = components['schemas']['Group'];
const PAGE_SIZE = 20;

/** People who offend together (Investigator; PRODUCT §4): groups linked through shared events, largest first. */
export function GroupsView(props: { session: Session }) {
  const { page, items, loadingFirst, more } = usePages<Group>(async (continuationToken) => {
    const query = { pageSize: PAGE_SIZE, ...(continuationToken ? { continuationToken } : {}) };
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/groups', { params: { query } });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token]);
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>Groups</ViewHeading>
      <p>People recorded together in the same events, joined through every event they share: most events first, then most loss.</p>
      {loadingFirst && <p role="status">Loading groups…</p>}
      {page.state === 'failed' && <p role="alert">{page.message}</p>}
      {page.state === 'done' && items.length === 0 && <p role="status">No two people have been recorded together yet.</p>}
      <ol class="groups">
        {items.map((group, i) => (
          <li key={group.members.join()}>
            <GroupCard session={props.session} group={group} number={i + 1} />
          </li>
        ))}
      </ol>
      <ShowMore more={more} />
    </section>
  );
}
