import { useState } from 'preact/hooks';
import type { StoredEvent } from '../events/event-text';
import { EvidenceImages } from '../lazy-views';
import type { Session } from '../session';
import { imagesOf, whyNoImages } from './image-access';

/**
 * The images among some events' evidence, only when asked for: each one shown is a download,
 * recorded in the audit chain. A viewer the API would refuse (no MFA, or a role that may not
 * download) gets no button, only a line saying why. The images' code is fetched on the first click.
 */
export function ShowImages(props: { session: Session; events: readonly StoredEvent[]; of: string }) {
  const [shown, setShown] = useState(false);
  const { items, elsewhere } = imagesOf(props.session, props.events);
  const leftOut = elsewhere > 0 && (
    <p class="hint">
      {elsewhere} image{elsewhere === 1 ? '' : 's'} of another retailer's events not shown: downloads stay with the retailer that recorded them.
    </p>
  );
  if (items.length === 0) return leftOut || null;
  const why = whyNoImages(props.session);
  return (
    <div class="images">
      {why ? (
        <p class="hint">{why}</p>
      ) : shown ? (
        <EvidenceImages session={props.session} items={items} />
      ) : (
        <p>
          <button type="button" class="secondary" onClick={() => setShown(true)}>
            Show images<span class="visually-hidden"> of {props.of}</span>
          </button>{' '}
          <span class="hint">
            {items.length} image{items.length === 1 ? '' : 's'}; each one shown is a download, recorded in the audit chain.
          </span>
        </p>
      )}
      {leftOut}
    </div>
  );
}
