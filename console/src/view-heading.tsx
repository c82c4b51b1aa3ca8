import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A view's h1, focused when the view opens, so a screen reader announces where a link led. */
export function ViewHeading(props: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 id="view-title" ref={ref} tabIndex={-1}>
      {props.children}
    </h1>
  );
}
