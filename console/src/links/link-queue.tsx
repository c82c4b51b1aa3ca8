import { apiFor, problemText } from '../api';
import { formatTime } from '../events/event-text';
import { Link } from '../link';
import { percent, type LinkSuggestion } from '../profiles/profile-text';
import type { Session } from '../session';
import { ShowMore, usePages } from '../pages';

/** Pending suggestions, newest first as the API lists them, each with its calibrated probability and why. */
export function LinkQueue(props: { session: Session }) {
  const { page, items, loadingFirst, more } = usePages<LinkSuggestion>(async (continuationToken) => {
    const query = { status: 'pending' as const, pageSize: 50, ...(continuationToken ? { continuationToken } : {}) };
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/links', { params: { query } });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token]);

  if (loadingFirst) return <p role="status">Loading suggestions…</p>;
  if (page.state === 'failed') return <p role="alert">{page.message}</p>;
  if (items.length === 0) return <p role="status">No suggestions wait for a decision.</p>;
  return (
    <>
      <table>
        <caption>
          {items.length} suggestion{items.length === 1 ? '' : 's'} waiting, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Probability</th>
            <th scope="col">Why</th>
            <th scope="col">Suggested</th>
            <th scope="col">Review</th>
          </tr>
        </thead>
        <tbody>
          {items.map((link) => (
            <tr key={link.id}>
              <td class="nowrap">
                <meter min={0} max={1} value={link.probability} aria-label={`Probability ${percent(link.probability)}`} /> {percent(link.probability)}
              </td>
              <td>{link.reasons.map((r) => r.detail).join('; ')}</td>
              <td>{formatTime(link.createdAt)}</td>
              <td>
                <Link href={`/links/${encodeURIComponent(link.id)}`}>
                  Review <span class="visually-hidden">the suggestion at {percent(link.probability)}, {formatTime(link.createdAt)}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore more={more} />
    </>
  );
}
