import type { components } from '../../../clients/ts/src/index';
import { apiFor, problemText } from '../api';
import type { Session } from '../session';

export type Evidence = components['schemas']['Evidence'];
type Kind = Evidence['kind'];

/** The evidence kind a file is declared as, by its type (the API checks the bytes against it later). */
export const kindOf = (contentType: string): Kind =>
  contentType.startsWith('video/') ? 'cctv' : contentType.startsWith('image/') ? 'image' : contentType === 'application/pdf' || contentType === 'text/plain' ? 'witness-statement' : 'other';

/** Where one file's upload stands. */
export type UploadState =
  | { step: 'declaring' }
  | { step: 'uploading'; loaded: number; total: number }
  | { step: 'processing' }
  | { step: 'done'; evidence: Evidence }
  // retry: the declaration or the PUT failed, so the file can be declared again; once the bytes
  // arrived, another try would only make a second item.
  | { step: 'failed'; message: string; retry: boolean };

/** Status reads: the first after this long, each next one twice as late (at most MAX_POLL_WAIT_MS), at most POLLS of them. */
const FIRST_POLL_MS = 1_000;
const MAX_POLL_WAIT_MS = 8_000;
const POLLS = 10;

/**
 * One Idempotency-Key per file chosen (PRODUCT §10b): a retry of a declaration whose answer was
 * lost, or after a failed upload, gets the first item and its upload URL, not a second pending item.
 */
const declarationKeys = new WeakMap<File, string>();
const declarationKey = (file: File): string => declarationKeys.get(file) ?? declarationKeys.set(file, crypto.randomUUID()).get(file)!;

/**
 * PRODUCT §3: declare the file on the event (a pending record and a create-only SAS URL for one
 * blob), PUT the bytes to that URL with the headers the API names, then wait for the service to
 * check them (hash, size, type from the magic bytes) and call the item ready or rejected. The PUT
 * goes straight to storage, never through the API, and with XMLHttpRequest: fetch reports no
 * upload progress. `signal` stops it all (the XHR and the polling); nothing is reported after it.
 */
export async function uploadEvidence(session: Session, eventId: string, file: File, onState: (state: UploadState) => void, signal: AbortSignal): Promise<void> {
  const report = (state: UploadState) => {
    if (!signal.aborted) onState(state);
  };
  report({ step: 'declaring' });
  const contentType = file.type || 'application/octet-stream';
  const sha256 = await digest(file);
  const api = apiFor(session.token);
  const { data, error, response } = await api.POST('/api/v1/events/{id}/evidence', {
    params: { path: { id: eventId }, header: { 'idempotency-key': declarationKey(file) } },
    body: { fileName: file.name, contentType, size: file.size, kind: kindOf(contentType), ...(sha256 ? { sha256 } : {}) },
    signal,
  });
  if (!data) return report({ step: 'failed', message: problemText(error, response), retry: true });
  report({ step: 'uploading', loaded: 0, total: file.size });
  const status = await put(data.uploadUrl, data.uploadHeaders, file, (loaded) => report({ step: 'uploading', loaded, total: file.size }), signal);
  if (status !== 201) return report({ step: 'failed', message: `Storage refused the upload (${status || 'no answer'}).`, retry: true });
  report({ step: 'processing' });
  // Every GET /evidence/{id} is an audited read (it writes an audit entry), so the page asks
  // sparingly: the blob trigger answers within seconds (locally the host polls every 0.5 s), and
  // asks less often the longer it waits, a bounded number of times (about a minute in all).
  for (let poll = 0, wait = FIRST_POLL_MS; poll < POLLS; poll++, wait = Math.min(wait * 2, MAX_POLL_WAIT_MS)) {
    if (!(await sleep(wait, signal))) return;
    const read = await api.GET('/api/v1/evidence/{id}', { params: { path: { id: data.evidenceId } }, signal });
    if (!read.data) return report({ step: 'failed', message: problemText(read.error, read.response), retry: false });
    if (read.data.status !== 'pending') return report({ step: 'done', evidence: read.data });
  }
  report({ step: 'failed', message: 'The upload arrived but has not been checked yet; look at the event again later.', retry: false });
}

/** Waits `ms`; false when `signal` aborted first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** The PUT's status, 0 when it got no answer (a network error, a timeout, or aborted). */
function put(url: string, headers: Record<string, string>, file: File, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(0);
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    // loadend follows load, error, abort and timeout alike: the one place the request settles.
    xhr.onloadend = () => {
      signal.removeEventListener('abort', abort);
      if (xhr.status === 201) onProgress(file.size);
      resolve(xhr.status);
    };
    signal.addEventListener('abort', abort, { once: true });
    xhr.send(file);
  });
}

/** Files read whole to hash them, no larger than this: a CCTV video of gigabytes is left to the service to hash. */
const HASHED_BYTES = 100 * 1024 * 1024;

/** The file's SHA-256, declared so the service refuses bytes that changed on the way (only in a secure context; else left to the service). */
async function digest(file: File): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle || file.size > HASHED_BYTES) return undefined;
  const hash = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
