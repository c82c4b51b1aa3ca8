import { useEffect, useState } from 'preact/hooks';

/**
 * Paths in the address bar (the local host answers index.html for any path outside /api/), moved
 * with the History API: a handful of views needs no router library.
 */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}

export function navigate(to: string): void {
  if (to === location.pathname) return;
  history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** A same-origin link followed without a page load (modified clicks still open a new tab). */
export function onLinkClick(event: MouseEvent): void {
  const link = (event.currentTarget as HTMLAnchorElement | null) ?? undefined;
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(link.pathname);
}
