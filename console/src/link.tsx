import type { ComponentChildren } from 'preact';
import { onLinkClick } from './router';

export function Link(props: { href: string; children: ComponentChildren; current?: boolean }) {
  return (
    <a href={props.href} onClick={onLinkClick} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}
