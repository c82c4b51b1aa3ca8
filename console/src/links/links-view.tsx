import type { Session } from '../session';
import { ViewHeading } from '../view-heading';
import { LinkQueue } from './link-queue';
import { LinkReview } from './link-review';

/** The link review view (Investigator): the queue of suggestions, or one opened from it. */
export function LinksView(props: { session: Session; linkId?: string }) {
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>{props.linkId ? 'Review a suggestion' : 'Link suggestions'}</ViewHeading>
      {props.linkId ? (
        <LinkReview session={props.session} id={props.linkId} />
      ) : (
        <>
          <p>
            Connect the Dots suggests people reported apart who may be one person. Nothing is merged until you accept; a merge can be
            split again from the profile.
          </p>
          <LinkQueue session={props.session} />
        </>
      )}
    </section>
  );
}
