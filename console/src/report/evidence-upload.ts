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
  | { step: 'failed'; message: string };

/**
 * PRODUCT §3: declare the file on the event (a pending record and a create-only SAS URL for one
 * blob), PUT the bytes to that URL with the headers the API names, then wait for the service to
 * check them (hash, size, type from the magic bytes) and call the item ready or rejected. The PUT
 * goes straight to storage, never through the API, and with XMLHttpRequest: fetch reports no
 * upload progress.
 */
export async function uploadEvidence(session: Session, eventId: string, file: File, onState: (state: UploadState) => void): Promise<void> {
  onState({ step: 'declaring' });
  const contentType = file.type || 'application/octet-stream';
  const sha256 = await digest(file);
  const api = apiFor(session.token);
  const { data, error, response } = await api.POST('/api/v1/events/{id}/evidence', {
    params: { path: { id: eventId } },
    body: { fileName: file.name, contentType, size: file.size, kind: kindOf(contentType), ...(sha256 ? { sha256 } : {}) },
  });
  if (!data) return onState({ step: 'failed', message: problemText(error, response) });
  onState({ step: 'uploading', loaded: 0, total: file.size });
  const status = await put(data.uploadUrl, data.uploadHeaders, file, (loaded) => onState({ step: 'uploading', loaded, total: file.size }));
  if (status !== 201) return onState({ step: 'failed', message: `Storage refused the upload (${status || 'no answer'}).` });
  onState({ step: 'processing' });
  // The blob trigger runs within seconds (locally the host polls every 0.5 s); a page left open keeps asking for two minutes.
  for (let wait = 250, deadline = Date.now() + 120_000; Date.now() < deadline; wait = Math.min(wait * 2, 4_000)) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    const read = await api.GET('/api/v1/evidence/{id}', { params: { path: { id: data.evidenceId } } });
    if (!read.data) return onState({ step: 'failed', message: problemText(read.error, read.response) });
    if (read.data.status !== 'pending') return onState({ step: 'done', evidence: read.data });
  }
  onState({ step: 'failed', message: 'The upload arrived but has not been checked yet; look at the event again later.' });
}

function put(url: string, headers: Record<string, string>, file: File, onProgress: (loaded: number) => void): Promise<number> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      onProgress(file.size);
      resolve(xhr.status);
    };
    xhr.onerror = () => resolve(0);
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
