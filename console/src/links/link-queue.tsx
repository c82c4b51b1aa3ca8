import { useState } from 'preact/hooks';
import { apiFor, problemText } from '../api';
import { formatTime } from '../events/event-text';
import { Link } from '../link';
import { percent, type LinkSuggestion } from '../profiles/profile-text';
import type { Session } from '../session';
import { useLoad } from '../use-load';

/** Pending suggestions, newest first as the API lists them, each with its calibrated probability and why. */
export function LinkQueue(props: { session: Session }) {
  const [after, setAfter] = useState<{ items: LinkSuggestion[]; next: string }>();
  const page = useLoad<{ items: LinkSuggestion[]; next: string | null }>(async () => {
    const query = { status: 'pending' as const, pageSize: 50, ...(after ? { continuationToken: after.next } : {}) };
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/links', { params: { query } });
    return data ? { value: { items: [...(after?.items ?? []), ...data.items], next: data.continuationToken } } : { message: problemText(error, response) };
  }, [props.session.token, after]);

  if (page.state === 'loading' && !after) return <p role="status">Loading suggestions…</p>;
  if (page.state === 'failed') return <p role="alert">{page.message}</p>;
  const items = page.state === 'done' ? page.value.items : after!.items;
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
      {page.state === 'done' && page.value.next && (
        <p>
          <button type="button" onClick={() => setAfter({ items, next: page.value.next! })}>
            Show more
          </button>
        </p>
      )}
    </>
  );
}
