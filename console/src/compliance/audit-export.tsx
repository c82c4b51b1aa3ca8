import { useRef, useState } from 'preact/hooks';
import { apiFor, problemText, type Problem } from '../api';
import type { Session } from '../session';

type Format = 'jsonl' | 'csv';
type Outcome = { state: 'idle' | 'running' } | { state: 'done'; file: string; bytes: number } | { state: 'failed'; message: string };

/**
 * Downloads the chain (MFA required). The export needs the bearer token, so it is fetched and
 * handed to the browser as a file, rather than linked.
 */
export function AuditExport(props: { session: Session }) {
  const [format, setFormat] = useState<Format>('jsonl');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const anchor = useRef<HTMLAnchorElement>(null);

  const download = async (event: Event) => {
    event.preventDefault();
    setOutcome({ state: 'running' });
    try {
      const query = { format, ...(from ? { from: `${from}T00:00:00Z` } : {}), ...(to ? { to: `${to}T23:59:59.999Z` } : {}) };
      const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/audit/export', { params: { query }, parseAs: 'blob' });
      if (!data) {
        setOutcome({ state: 'failed', message: problemText(error as Problem | undefined, response) });
        return;
      }
      const file = `audit-${props.session.org ?? 'org'}-${new Date().toISOString().slice(0, 10)}.${format}`;
      const link = anchor.current!;
      link.href = URL.createObjectURL(data);
      link.download = file;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      setOutcome({ state: 'done', file, bytes: data.size });
    } catch (error) {
      setOutcome({ state: 'failed', message: `The service could not be reached (${String(error)}).` });
    }
  };

  return (
    <section aria-labelledby="export-title" class="panel">
      <h2 id="export-title">Download the audit export</h2>
      {!props.session.mfa && <p class="hint">The export needs a sign-in with multi-factor authentication; yours did not use it.</p>}
      <form onSubmit={download}>
        <div class="row">
          <div class="field">
            <label for="export-from">From (optional)</label>
            <input id="export-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="export-to">To (optional)</label>
            <input id="export-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="export-format">Format</label>
            <select id="export-format" value={format} onChange={(e) => setFormat(e.currentTarget.value as Format)}>
              <option value="jsonl">JSON Lines (verifiable offline)</option>
              <option value="csv">CSV</option>
            </select>
          </div>
        </div>
        <button type="submit" disabled={outcome.state === 'running'}>
          Download export
        </button>
      </form>
      <a ref={anchor} hidden aria-hidden="true" tabIndex={-1} />
      <div aria-live="polite">
        {outcome.state === 'running' && <p>Preparing the export…</p>}
        {outcome.state === 'done' && (
          <p class="ok">
            Downloaded {outcome.file} ({outcome.bytes.toLocaleString('en-NZ')} bytes).
          </p>
        )}
        {outcome.state === 'failed' && <p role="alert">{outcome.message}</p>}
      </div>
    </section>
  );
}
