import { apiFor, problemText } from '../api';
import { Link } from '../link';
import { ProfilePanel } from '../profiles/profile-panel';
import { percent, type LinkSuggestion, type Profile } from '../profiles/profile-text';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { findLink } from './find-link';
import { LinkDecision } from './link-decision';

/**
 * One suggestion: the two profiles side by side with their events, the reasons and the
 * probability, and the decision. Nothing merges until a person accepts (PRODUCT §4).
 */
export function LinkReview(props: { session: Session; id: string }) {
  const found = useLoad<{ link: LinkSuggestion; subject: Profile | string; candidate: Profile | string }>(async () => {
    const link = await findLink(props.session, props.id);
    if (!('value' in link)) return link;
    const [subject, candidate] = await Promise.all([profileOf(props.session, link.value.subject.profileId), profileOf(props.session, link.value.candidate.profileId)]);
    return { value: { link: link.value, subject, candidate } };
  }, [props.session.token, props.id]);

  return (
    <>
      <p>
        <Link href="/links">Back to the suggestions</Link>
      </p>
      {found.state === 'loading' && <p role="status">Loading the suggestion…</p>}
      {found.state === 'failed' && <p role="alert">{found.message}</p>}
      {found.state === 'done' && <Review session={props.session} {...found.value} />}
    </>
  );
}

function Review(props: { session: Session; link: LinkSuggestion; subject: Profile | string; candidate: Profile | string }) {
  const { link } = props;
  // The suggestion names the retailer whose profile is on record: another's is linked, never merged.
  const crossRetailer = link.candidate.retailerId !== props.session.org;
  return (
    <>
      <p class="purpose">
        <strong>{percent(link.probability)}</strong> likely the same person (score {link.score.toFixed(1)}; the probability is calibrated on your own
        data: at 80%, about 8 suggestions in 10 are right). {link.status !== 'pending' && <strong>Already {link.status}.</strong>}
      </p>
      <table>
        <caption>Why they were suggested</caption>
        <thead>
          <tr>
            <th scope="col">Signal</th>
            <th scope="col">Detail</th>
            <th scope="col">Weight</th>
          </tr>
        </thead>
        <tbody>
          {link.reasons.map((reason, i) => (
            <tr key={i}>
              <td>{reason.signal}</td>
              <td>{reason.detail}</td>
              <td>{reason.weight.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="pair">
        <Side session={props.session} profile={props.subject} title="Newly reported" />
        <Side session={props.session} profile={props.candidate} title={crossRetailer ? 'On record at another retailer' : 'On record'} />
      </div>
      {link.status === 'pending' ? (
        <LinkDecision session={props.session} link={link} crossRetailer={crossRetailer} />
      ) : (
        <p>
          <Link href={`/profiles/${encodeURIComponent(link.candidate.profileId)}`}>Open the profile on record</Link>
        </p>
      )}
    </>
  );
}

function Side(props: { session: Session; profile: Profile | string; title: string }) {
  if (typeof props.profile === 'string')
    return (
      <p role="alert" class="panel">
        {props.title}: {props.profile}
      </p>
    );
  return <ProfilePanel session={props.session} profile={props.profile} title={props.title} />;
}

/** A profile, or why it could not be read (merged away, erased, or no longer shared). */
async function profileOf(session: Session, id: string): Promise<Profile | string> {
  const { data, error, response } = await apiFor(session.token).GET('/api/v1/profiles/{id}', { params: { path: { id } } });
  return data ?? problemText(error, response);
}
