import { useState } from 'preact/hooks';
import { apiFor, problemText } from '../api';
import { formatTime } from '../events/event-text';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { ViewHeading } from '../view-heading';
import { ProfilePanel } from './profile-panel';
import { profileNames, type Profile } from './profile-text';
import { SplitForm, type SplitOutcome } from './split-form';

/**
 * A profile (Investigator) with its history of merges and splits (PRODUCT §4b). A merge not yet
 * undone can be split from here; afterwards both profiles are shown as they are again.
 */
export function ProfileView(props: { session: Session; id: string }) {
  const [split, setSplit] = useState<SplitOutcome>();
  const profile = useLoad<Profile>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/profiles/{id}', { params: { path: { id: props.id } } });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token, props.id]);

  if (split)
    return (
      <section aria-labelledby="view-title">
        <ViewHeading key="split">{split.survivor && split.restored ? 'Split: two people again' : 'Split: the merge is undone'}</ViewHeading>
        <p class="ok" role="status">{splitText(split)}</p>
        <div class="pair">
          {split.survivor && <ProfilePanel session={props.session} profile={split.survivor} title="Kept" />}
          {split.restored && <ProfilePanel session={props.session} profile={split.restored} title="Restored" />}
        </div>
        {split.survivor && <History profile={split.survivor} />}
      </section>
    );
  return (
    <section aria-labelledby="view-title">
      <ViewHeading key="profile">Profile</ViewHeading>
      {profile.state === 'loading' && <p role="status">Loading the profile…</p>}
      {profile.state === 'failed' && <p role="alert">{profile.message}</p>}
      {profile.state === 'done' && (
        <>
          <ProfilePanel session={props.session} profile={profile.value} title="Person" />
          <History profile={profile.value} />
          {undoable(profile.value).map((merge) => (
            <SplitForm key={merge.linkId} session={props.session} profile={profile.value} merge={merge} onSplit={setSplit} />
          ))}
        </>
      )}
    </section>
  );
}

/** What the split did, said plainly; a side with no report left (deleted since the merge) did not come back. */
function splitText({ survivor, restored }: SplitOutcome): string {
  const gone = 'its reports were all deleted since the merge';
  if (survivor && restored) return `The merge is undone: each profile is as it was before it, and events reported since stay with ${profileNames(survivor)}.`;
  if (restored) return `The merge is undone. The profile merged away is back; this one is gone, as ${gone}.`;
  if (survivor) return `The merge is undone. The profile merged away is not back, as ${gone}; this one keeps the rest.`;
  return `The merge is undone. Neither profile remains: the reports of both were deleted since the merge.`;
}

function History({ profile }: { profile: Profile }) {
  if (profile.history.length === 0) return <p>No merges or splits: this profile is as first reported.</p>;
  return (
    <table>
      <caption>History of merges and splits, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">Other profile</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {profile.history.map((entry) => (
          <tr key={`${entry.action}-${entry.linkId}-${entry.at}`}>
            <td>{formatTime(entry.at)}</td>
            <td>{entry.action === 'merge' ? 'Merged in' : 'Split out'}</td>
            <td>
              <code>{entry.profileId}</code>
            </td>
            <td>{entry.by}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The merges into this profile that no later split undid. */
const undoable = (profile: Profile) =>
  profile.history.filter((entry, i) => entry.action === 'merge' && !profile.history.slice(i + 1).some((later) => later.action === 'split' && later.linkId === entry.linkId));
