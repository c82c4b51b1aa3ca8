import { formatTime, typeName, type StoredEvent } from '../events/event-text';

/**
 * Who may see evidence images in the console: whoever the API lets download them, since every image
 * shown is a download (GET /evidence/{id}/content: MFA for people, audited; PRODUCT §3). The roles are
 * 'evidence.download' in shared/domain/authorization.ts; a unit test holds the two equal.
 */
export const DOWNLOAD_ROLES: readonly string[] = ['Reporter', 'Investigator', 'RetailerAdmin', 'Compliance', 'PoliceOfficer'];

/** The image types the locker keeps; a browser shows all but HEIC, which is named instead. */
export const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'];
export const SHOWN_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

/** What of the session decides it (session.ts's Session has these; not imported, so unit tests need no DOM). */
interface Viewer {
  org?: string;
  roles: readonly string[];
  mfa: boolean;
}

/** An evidence item that is an image, with the event it belongs to as a person reads it. */
export interface ImageItem {
  id: string;
  kind: string;
  mediaType: string;
  event: string;
}

/** Why this viewer is shown no images (one line), or undefined when the API lets them download. */
export function whyNoImages(session: Viewer): string | undefined {
  if (!session.roles.some((role) => DOWNLOAD_ROLES.includes(role))) return 'Images are shown only to roles that may download evidence.';
  if (!session.mfa) return 'Images need a sign-in with MFA: each one shown is a download, recorded in the audit chain.';
  return undefined;
}

/**
 * The processed images among the events' evidence: those the viewer's organisation may download (its
 * own events; a partner's stay with their owner, whose downloads the API refuses), and how many of
 * another retailer's are left out.
 */
export function imagesOf(session: Viewer, events: readonly StoredEvent[]): { items: ImageItem[]; elsewhere: number } {
  const items: ImageItem[] = [];
  let elsewhere = 0;
  for (const event of events) {
    const own = event.retailerId === session.org;
    for (const e of event.evidence ?? []) {
      if (e.status !== 'ready' || !e.mediaType || !IMAGE_TYPES.includes(e.mediaType)) continue;
      if (!own) elsewhere++;
      else items.push({ id: e.id, kind: e.kind, mediaType: e.mediaType, event: `${typeName(event.type)} at ${event.storeId}, ${formatTime(event.occurredAt)}` });
    }
  }
  return { items, elsewhere };
}
