import { useEffect, useState } from 'preact/hooks';
import { apiFor, problemText } from '../api';
import type { Session } from '../session';
import { SHOWN_TYPES, type ImageItem } from './image-access';

type Outcome = { name: string; url: string } | { name: string; cannotShow: true } | { failed: string };

const KIND_NAMES: Record<string, string> = { cctv: 'CCTV still', image: 'Photo' };

/**
 * The images, each read as the API offers it: its metadata (the file name) and its content, a 302
 * to a read-only blob URL that fetch follows (the bearer token is not sent on to the other origin;
 * the URL's signature is the right). The bytes become an object URL for a thumbnail that opens the
 * full image in a new tab; the URLs are revoked when the images are no longer shown. One image at
 * a time (each is an audited download), and those not yet read are not read once the images close.
 */
export function EvidenceImages(props: { session: Session; items: readonly ImageItem[] }) {
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  useEffect(() => {
    const closed = new AbortController();
    const urls: string[] = [];
    setOutcomes({});
    void (async () => {
      for (const item of props.items) {
        const outcome = await load(props.session, item, closed.signal);
        if (closed.signal.aborted) {
          // Answered after the images were closed: nothing shows it, and nothing more is read.
          if ('url' in outcome) URL.revokeObjectURL(outcome.url);
          return;
        }
        if ('url' in outcome) urls.push(outcome.url);
        setOutcomes((before) => ({ ...before, [item.id]: outcome }));
      }
    })();
    return () => {
      closed.abort();
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [props.session.token, props.items.map((item) => item.id).join()]);
  const pending = props.items.filter((item) => !outcomes[item.id]).length;
  return (
    <>
      <p role="status" class="hint">
        {pending > 0
          ? `Loading ${pending} image${pending === 1 ? '' : 's'}…`
          : 'Each image shown was downloaded and is recorded in the audit chain. Open one for its full size.'}
      </p>
      <ul class="thumbs">
        {props.items.map((item) => (
          <li key={item.id}>
            <Thumbnail item={item} outcome={outcomes[item.id]} />
          </li>
        ))}
      </ul>
    </>
  );
}

function Thumbnail({ item, outcome }: { item: ImageItem; outcome: Outcome | undefined }) {
  const kind = KIND_NAMES[item.kind] ?? 'Image';
  if (!outcome) return <p class="hint">{kind} loading…</p>;
  if ('failed' in outcome)
    return (
      <p class="hint error">
        {kind} of {item.event} could not be shown: {outcome.failed}
      </p>
    );
  return (
    <figure>
      {'url' in outcome ? (
        <a href={outcome.url} target="_blank" rel="noopener">
          <img src={outcome.url} alt={`${kind}: ${outcome.name}`} />
          <span class="visually-hidden"> (opens full size in a new tab)</span>
        </a>
      ) : (
        <p class="hint">{kind}: HEIC, which browsers cannot show.</p>
      )}
      <figcaption>
        {outcome.name}
        <br />
        {item.event}
      </figcaption>
    </figure>
  );
}

async function load(session: Session, item: ImageItem, signal: AbortSignal): Promise<Outcome> {
  const api = apiFor(session.token);
  const params = { params: { path: { id: item.id } }, signal };
  try {
    const meta = await api.GET('/api/v1/evidence/{id}', params);
    if (!meta.data) return { failed: problemText(meta.error, meta.response) };
    const name = meta.data.fileName;
    if (!SHOWN_TYPES.includes(item.mediaType)) return { name, cannotShow: true };
    const content = await api.GET('/api/v1/evidence/{id}/content', { ...params, parseAs: 'blob' });
    if (!content.response.ok || !content.data) return { failed: problemText(content.error, content.response) };
    // The type the locker found in the bytes, so the full-size tab shows it rather than offering a download.
    return { name, url: URL.createObjectURL(new Blob([content.data], { type: item.mediaType })) };
  } catch (error) {
    return { failed: `The image could not be read (${String(error)}).` };
  }
}
