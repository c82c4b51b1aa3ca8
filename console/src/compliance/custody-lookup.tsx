import { useState } from 'preact/hooks';
import { navigate } from '../router';

/** Opens an evidence item's chain of custody by its id (as a case file, an export or an event names it). */
export function CustodyLookup() {
  const [id, setId] = useState('');
  const [error, setError] = useState<string>();
  return (
    <form
      class="panel"
      aria-labelledby="custody-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!id.trim()) return setError('Give the evidence id.');
        navigate(`/custody/${encodeURIComponent(id.trim())}`);
      }}
    >
      <h2 id="custody-title">Chain of custody</h2>
      <div class="field">
        <label for="f-evidenceId">Evidence id</label>
        <input id="f-evidenceId" value={id} onInput={(e) => setId(e.currentTarget.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'f-evidenceId-error' : undefined} />
        {error && (
          <p id="f-evidenceId-error" class="hint error">
            {error}
          </p>
        )}
      </div>
      <button type="submit">Show custody</button>
    </form>
  );
}
