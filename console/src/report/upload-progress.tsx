import type { UploadState } from './evidence-upload';

/**
 * Each file's upload: a progress bar while its bytes travel, then the service's verdict on them.
 * Only a change of step is announced (the live region); the percentage is on the bar and beside it,
 * not read out at every step of a few per cent.
 */
export function UploadProgress(props: { uploads: { file: File; state: UploadState }[]; onRetry: (index: number) => void }) {
  return (
    <section aria-labelledby="uploads-title" class="panel">
      <h2 id="uploads-title">Evidence</h2>
      <ul class="uploads">
        {props.uploads.map(({ file, state }, i) => {
          const id = `upload-${i}`;
          // A failed upload shows an empty bar: no value at all would draw an indeterminate one, as if still under way.
          const value = state.step === 'uploading' ? state.loaded : state.step === 'declaring' || state.step === 'failed' ? 0 : file.size;
          return (
            <li key={id}>
              <label for={id}>{file.name}</label>
              <progress id={id} max={file.size || 1} value={value} aria-describedby={`${id}-state`} />
              {state.step === 'uploading' && <span>{Math.round((100 * state.loaded) / (file.size || 1))}%</span>}
              <span id={`${id}-state`} aria-live="polite">
                {describe(state)}
              </span>
              {state.step === 'failed' && state.retry && (
                <button type="button" onClick={() => props.onRetry(i)}>
                  Try again<span class="visually-hidden"> to upload {file.name}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function describe(state: UploadState): string {
  switch (state.step) {
    case 'declaring':
      return 'Preparing…';
    case 'uploading':
      return 'Uploading…';
    case 'processing':
      return 'Uploaded; the service is checking it…';
    case 'done':
      return state.evidence.status === 'ready'
        ? `Ready: ${state.evidence.mediaType ?? 'file'}${state.evidence.image ? `, ${state.evidence.image.width}×${state.evidence.image.height}` : ''}, SHA-256 ${state.evidence.sha256?.slice(0, 12) ?? '?'}…`
        : `Rejected (${state.evidence.reason ?? 'no reason given'}): the file was quarantined, not kept as evidence.`;
    case 'failed':
      return `Not uploaded: ${state.message}`;
  }
}
