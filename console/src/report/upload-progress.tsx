import type { UploadState } from './evidence-upload';

/** Each file's upload: a progress bar while its bytes travel, then the service's verdict on them. */
export function UploadProgress(props: { uploads: { file: File; state: UploadState }[] }) {
  return (
    <section aria-labelledby="uploads-title" class="panel">
      <h2 id="uploads-title">Evidence</h2>
      <ul class="uploads">
        {props.uploads.map(({ file, state }, i) => {
          const id = `upload-${i}`;
          const value = state.step === 'uploading' ? state.loaded : state.step === 'declaring' ? 0 : file.size;
          return (
            <li key={id}>
              <label for={id}>{file.name}</label>
              <progress id={id} max={file.size || 1} value={state.step === 'failed' ? undefined : value} aria-describedby={`${id}-state`} />
              <span id={`${id}-state`} aria-live="polite">
                {describe(state, file.size)}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function describe(state: UploadState, size: number): string {
  switch (state.step) {
    case 'declaring':
      return 'Preparing…';
    case 'uploading':
      return `Uploading: ${Math.round((100 * state.loaded) / (size || 1))}%`;
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
