import { useState } from 'preact/hooks';
import { useLoad } from './use-load';

type Read<T> = (continuationToken: string | undefined) => Promise<{ value: { items: T[]; continuationToken: string | null } } | { message: string }>;

/**
 * A listing read a page at a time: the items so far and, until the last page, `more` to read the
 * next one onto them. What changes the listing itself (a filter) calls `restart` as it changes a
 * key, so that the first page is read again; `keys` alone only reread the page at hand.
 */
export function usePages<T>(read: Read<T>, keys: unknown[]) {
  const [after, setAfter] = useState<{ items: T[]; next: string }>();
  const page = useLoad<{ items: T[]; next: string | null }>(async () => {
    const outcome = await read(after?.next);
    return 'value' in outcome ? { value: { items: [...(after?.items ?? []), ...outcome.value.items], next: outcome.value.continuationToken } } : outcome;
  }, [...keys, after]);
  const items = page.state === 'done' ? page.value.items : (after?.items ?? []);
  const next = page.state === 'done' ? page.value.next : null;
  // `loadingFirst`: nothing to show yet (a later page loads below what is shown).
  const loadingFirst = page.state === 'loading' && after === undefined;
  return { page, items, loadingFirst, more: next ? () => setAfter({ items, next }) : undefined, restart: () => setAfter(undefined) };
}

/** The button that reads a listing's next page, while there is one. */
export function ShowMore(props: { more: (() => void) | undefined }) {
  if (!props.more) return null;
  return (
    <p>
      <button type="button" onClick={props.more}>
        Show more
      </button>
    </p>
  );
}
