import { useState } from 'preact/hooks';
import type { components } from '../../../clients/ts/src/index';
import { apiFor, problemFieldErrors, problemText } from '../api';
import { TextField } from '../form-field';
import type { purposeHeaders } from '../police/purpose';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { formatTime } from './event-text';

type Message = components['schemas']['Message'];
/** The police purpose headers (PRODUCT §5b), for an officer; none for the retailer's staff. */
type PurposeHeaders = ReturnType<typeof purposeHeaders>;

/** Messages read at once; an event's conversation is short, and the rest are counted as more. */
const PAGE_SIZE = 100;

/**
 * The conversation between the retailer's staff and the police about one shared event (PRODUCT §5):
 * the messages oldest first, and a message to add, screened by the API like all free text (a
 * refusal is shown beside the field).
 */
export function EventMessages(props: { session: Session; eventId: string; headers?: PurposeHeaders }) {
  const [sent, setSent] = useState<Message[]>([]);
  const [body, setBody] = useState('');
  const [sending, setSending] = useState<{ state: 'idle' | 'running' } | { state: 'failed'; message: string; field?: string | undefined }>({ state: 'idle' });
  const listed = useLoad<{ items: Message[]; more: boolean }>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/events/{id}/messages', {
      params: { path: { id: props.eventId }, query: { pageSize: PAGE_SIZE }, ...(props.headers ? { header: props.headers } : {}) },
    });
    return data ? { value: { items: data.items, more: data.continuationToken !== null } } : { message: problemText(error, response) };
  }, [props.session.token, props.eventId, props.headers?.['x-legal-basis'], props.headers?.['x-case-reference']]);

  const send = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) return setSending({ state: 'failed', message: 'Write a message first.', field: 'Write a message first.' });
    setSending({ state: 'running' });
    try {
      const { data, error, response } = await apiFor(props.session.token).POST('/api/v1/events/{id}/messages', {
        params: { path: { id: props.eventId }, ...(props.headers ? { header: props.headers } : {}) },
        body: { body: body.trim() },
      });
      if (!data) return setSending({ state: 'failed', message: problemText(error, response), field: problemFieldErrors(error).body });
      setSent([...sent, data]);
      setBody('');
      setSending({ state: 'idle' });
    } catch (error) {
      setSending({ state: 'failed', message: `The service could not be reached (${String(error)}).` });
    }
  };

  const messages = listed.state === 'done' ? [...listed.value.items, ...sent.filter((m) => !listed.value.items.some((l) => l.id === m.id))] : sent;
  return (
    <section aria-labelledby="messages-title" class="panel">
      <h2 id="messages-title">Messages</h2>
      {listed.state === 'loading' && <p role="status">Loading messages…</p>}
      {listed.state === 'failed' && <p role="alert">{listed.message}</p>}
      {listed.state === 'done' && messages.length === 0 && <p>No messages yet.</p>}
      {messages.length > 0 && (
        <ol class="messages">
          {messages.map((m) => (
            <li key={m.id}>
              <p class="hint">
                <strong>{m.author.relation === 'police' ? 'Police' : 'Retailer'}</strong> · {m.author.sub} ({m.author.org}) · {formatTime(m.createdAt)}
              </p>
              <p>{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      {listed.state === 'done' && listed.value.more && <p class="hint">Only the first {PAGE_SIZE} messages are shown.</p>}
      <form onSubmit={send} noValidate aria-label="New message">
        <TextField
          path="body"
          label="Your message"
          multiline
          value={body}
          onValue={setBody}
          error={sending.state === 'failed' ? sending.field : undefined}
          hint="Seen by the retailer's investigators and the police it is shared with; kept in the audit trail."
        />
        <button type="submit" disabled={sending.state === 'running'}>
          Send message
        </button>
        <div aria-live="polite">{sending.state === 'failed' && !sending.field && <p>{sending.message}</p>}</div>
      </form>
    </section>
  );
}
