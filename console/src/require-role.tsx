import type { ComponentChildren } from 'preact';
import type { Session } from './session';
import { ViewHeading } from './view-heading';

/** Whether the session holds one of `roles`: the views and the navigation ask the same question. */
export const mayUse = (session: Session | undefined, roles: readonly string[]): boolean => roles.some((role) => session?.roles.includes(role));

/** A view for some roles: anyone else is told why it is closed (the API would refuse them anyway). */
export function RequireRole(props: { session: Session; roles: readonly string[]; title: string; children: ComponentChildren }) {
  if (mayUse(props.session, props.roles)) return <>{props.children}</>;
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>{props.title}</ViewHeading>
      <p role="alert">
        This view is for the {props.roles.join(' or ')} role. You are signed in with {props.session.roles.join(', ') || 'no roles'}.
      </p>
    </section>
  );
}
