import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A view whose code is fetched when first opened (a dynamic import: its own chunk), so the first
 * load stays within the budget however many views the console grows. The router needs nothing else.
 */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  return function LazyView(props: P) {
    const [view, setView] = useState<{ View: ComponentType<P> } | { error: string } | undefined>(loaded && { View: loaded });
    useEffect(() => {
      if (loaded) return;
      load().then(
        (View) => {
          loaded = View;
          setView({ View });
        },
        // A chunk gone after a new deployment: a reload fetches the new one.
        (error: unknown) => setView({ error: `This view could not be loaded (${String(error)}); reload the page.` }),
      );
    }, []);
    if (!view) return <p role="status">Loading…</p>;
    if ('error' in view) return <p role="alert">{view.error}</p>;
    return <view.View {...props} />;
  };
}
