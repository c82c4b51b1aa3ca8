import { useEffect, useState } from 'preact/hooks';

export type Loaded<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; message: string };

/** Runs `load` when a key changes and keeps its outcome; a late answer for an old key is dropped. */
export function useLoad<T>(load: () => Promise<{ value: T } | { message: string }>, keys: unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    load().then(
      (outcome) => current && setLoaded('value' in outcome ? { state: 'done', value: outcome.value } : { state: 'failed', message: outcome.message }),
      (error: unknown) => current && setLoaded({ state: 'failed', message: `The service could not be reached (${String(error)}).` }),
    );
    return () => {
      current = false;
    };
  }, keys);
  return loaded;
}
