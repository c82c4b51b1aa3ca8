import { useEffect, useRef, useState } from 'preact/hooks';
import type { components } from '../../../clients/ts/src/index';
import { apiFor, problemFieldErrors, problemText } from '../api';
import { EventDetail } from '../events/event-detail';
import type { StoredEvent } from '../events/event-text';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { ViewHeading } from '../view-heading';
import { uploadEvidence, type UploadState } from './evidence-upload';
import { UploadProgress } from './upload-progress';
import { PersonLookup, type ProfileHit } from './person-lookup';
import { ReportForm } from './report-form';
import { checkReport, emptyPerson, emptyReport, type FieldErrors } from './report-rules';

type Store = components['schemas']['Store'];

/**
 * The report view (Reporter, Investigator): look the person up, describe the event, attach
 * evidence. The event is created first (evidence hangs off it), then each file is uploaded.
 */
export function ReportView(props: { session: Session }) {
  const [draft, setDraft] = useState(emptyReport);
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<StoredEvent | undefined>();
  const [uploads, setUploads] = useState<{ file: File; state: UploadState }[]>([]);
  // One Idempotency-Key per body: a send retried after a lost answer gets the first event back, never a second one.
  const sent = useRef<{ body: string; key: string } | undefined>(undefined);
  // The uploads under way belong to this controller's report: aborted (XHR and polling) when another
  // report starts or the view closes, so nothing of theirs lands in a later list.
  const run = useRef(new AbortController());
  useEffect(() => () => run.current.abort(), []);

  const stores = useLoad<Store[]>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/stores', { params: { query: { pageSize: 100 } } });
    return data ? { value: data.items } : { message: problemText(error, response) };
  }, [props.session.token]);

  const attach = (hit: ProfileHit) => {
    // The first person not yet attached to anyone on record takes the profile; none left, a new person.
    const free = draft.people.findIndex((p) => !p.profileId);
    const people = free >= 0 ? draft.people.map((p, i) => (i === free ? { ...p, profileId: hit.profileId } : p)) : [...draft.people, { ...emptyPerson(), profileId: hit.profileId }];
    setDraft({ ...draft, people });
  };

  const submit = async () => {
    const checked = checkReport(draft, new Date());
    if ('errors' in checked) {
      setErrors(checked.errors);
      setSummary('The report was not sent: some fields need a change.');
      return;
    }
    const body = JSON.stringify(checked.input);
    if (sent.current?.body !== body) sent.current = { body, key: crypto.randomUUID() };
    setBusy(true);
    setSummary(undefined);
    try {
      const { data, error, response } = await apiFor(props.session.token).POST('/api/v1/events', {
        body: checked.input,
        params: { header: { 'idempotency-key': sent.current.key } },
      });
      if (!data) {
        setErrors(problemFieldErrors(error));
        setSummary(`The report was not accepted. ${problemText(error, response)}`);
        return;
      }
      setErrors({});
      setCreated(data);
      void uploadAll(data.id);
    } catch (error) {
      setSummary(`The service could not be reached (${String(error)}). Send again: the same report is never stored twice.`);
    } finally {
      setBusy(false);
    }
  };

  const uploadOne = async (eventId: string, file: File, index: number, signal: AbortSignal) => {
    const set = (state: UploadState) => {
      if (!signal.aborted) setUploads((all) => all.map((u, j) => (j === index ? { ...u, state } : u)));
    };
    await uploadEvidence(props.session, eventId, file, set, signal).catch((error: unknown) => set({ step: 'failed', message: String(error), retry: true }));
  };

  const uploadAll = async (eventId: string) => {
    const { signal } = run.current;
    setUploads(files.map((file) => ({ file, state: { step: 'declaring' } })));
    for (const [i, file] of files.entries()) {
      if (signal.aborted) return;
      await uploadOne(eventId, file, i, signal);
    }
  };

  // Declared again from the start: a SAS URL is create-only and expires, so the old one is no use.
  const retry = (index: number) => {
    const upload = uploads[index];
    if (created && upload) void uploadOne(created.id, upload.file, index, run.current.signal);
  };

  const again = () => {
    run.current.abort();
    run.current = new AbortController();
    setDraft(emptyReport());
    setFiles([]);
    setCreated(undefined);
    setUploads([]);
    sent.current = undefined;
  };

  return (
    <section aria-labelledby="view-title">
      <ViewHeading key={created ? 'done' : 'form'}>{created ? 'Event reported' : 'Report an event'}</ViewHeading>
      {created ? (
        <>
          <p class="ok" role="status">
            The event is recorded{uploads.length ? '; its evidence is uploading below.' : '.'}
          </p>
          {uploads.length > 0 && <UploadProgress uploads={uploads} onRetry={retry} />}
          <EventDetail event={created} />
          <p>
            <button type="button" onClick={again}>
              Report another event
            </button>
          </p>
        </>
      ) : (
        <>
          <PersonLookup session={props.session} onAttach={attach} attached={draft.people.map((p) => p.profileId).filter(Boolean)} />
          {stores.state === 'failed' && <p class="hint">The stores could not be listed ({stores.message}); type the store id.</p>}
          <ReportForm
            draft={draft}
            onDraft={setDraft}
            stores={stores.state === 'done' ? stores.value : undefined}
            files={files}
            onFiles={setFiles}
            errors={errors}
            summary={summary}
            busy={busy}
            onSubmit={() => void submit()}
          />
        </>
      )}
    </section>
  );
}
