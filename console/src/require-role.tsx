import type { ComponentChildren } from 'preact';
import type { Session } from './session';
import { ViewHeading } from './view-heading';

/** A view for one role: anyone else is told why it is closed (the API would refuse them anyway). */
export function RequireRole(props: { session: Session; role: string; title: string; children: ComponentChildren }) {
  if (props.session.roles.includes(props.role)) return <>{props.children}</>;
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>{props.title}</ViewHeading>
      <p role="alert">
        This view is for the {props.role} role. You are signed in with {props.session.roles.join(', ') || 'no roles'}.
      </p>
    </section>
  );
}
