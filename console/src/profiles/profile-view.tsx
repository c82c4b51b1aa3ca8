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
        <ViewHeading key="split">Split: two people again</ViewHeading>
        <p class="ok" role="status">
          {split.survivor
            ? `The merge is undone: each profile is as it was before it, and events reported since stay with ${profileNames(split.survivor)}.`
            : 'The merge is undone. This profile held no report of its own any more (they were deleted since the merge), so only the restored one remains.'}
          {!split.restored && ' None of the reports of the profile merged away is left, so there was no one to restore.'}
        </p>
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
