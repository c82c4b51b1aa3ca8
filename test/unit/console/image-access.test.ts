import { permissions } from '../../../shared/domain/authorization';
import { ACCEPTED_MEDIA_TYPES, isAnalysableImage } from '../../../shared/domain/evidence/evidence-rules';
import { DOWNLOAD_ROLES, IMAGE_TYPES, imagesOf, SHOWN_TYPES, whyNoImages } from '../../../console/src/evidence/image-access';
import type { StoredEvent } from '../../../console/src/events/event-text';

/** The console offers evidence images to exactly the viewers the API lets download them. */
const session = (roles: string[], mfa: boolean) => ({ org: 'ret-1', roles, mfa });

const evidence = (id: string, status: 'pending' | 'ready' | 'rejected', mediaType: string | null) => ({ id, kind: 'cctv' as const, status, mediaType, size: 1, sha256: null, createdAt: '2026-10-01T00:00:00Z' });

const event = (retailerId: string, items: ReturnType<typeof evidence>[]) =>
  ({ id: `ev-${retailerId}`, retailerId, storeId: 'akl-042', type: 'shoplifting', occurredAt: '2026-10-01T10:00:00Z', people: [], vehicles: [], evidence: items }) as unknown as StoredEvent;

describe('console: who is shown evidence images', () => {
  it('holds the roles and the MFA rule to the API’s evidence.download permission', () => {
    expect([...DOWNLOAD_ROLES].sort()).toEqual([...permissions['evidence.download'].roles].sort());
    expect(permissions['evidence.download'].mfa).toBe(true);
  });

  it('knows the locker’s image types, and shows those a browser can', () => {
    expect([...IMAGE_TYPES].sort()).toEqual(Object.keys(ACCEPTED_MEDIA_TYPES).filter((t) => ACCEPTED_MEDIA_TYPES[t] === 'image').sort());
    expect(SHOWN_TYPES.every(isAnalysableImage)).toBe(true);
    expect(IMAGE_TYPES.filter((t) => !SHOWN_TYPES.includes(t))).toEqual(['image/heic']);
  });

  it('says why a viewer sees none: no MFA, or a role that may not download', () => {
    expect(whyNoImages(session(['Investigator'], true))).toBeUndefined();
    expect(whyNoImages(session(['Investigator'], false))).toMatch(/^Images need a sign-in with MFA/);
    expect(whyNoImages(session(['Integration'], true))).toMatch(/^Images are shown only to roles that may download evidence/);
  });

  it('offers only processed images of the viewer’s own events, and counts another retailer’s', () => {
    const own = event('ret-1', [evidence('a', 'ready', 'image/jpeg'), evidence('b', 'pending', null), evidence('c', 'ready', 'application/pdf'), evidence('d', 'ready', 'image/heic')]);
    const partner = event('ret-2', [evidence('e', 'ready', 'image/png')]);
    const { items, elsewhere } = imagesOf(session(['Investigator'], true), [own, partner]);
    expect(items.map((i) => i.id)).toEqual(['a', 'd']);
    expect(items[0]!.event).toBe('Shoplifting at akl-042, 1 Oct 2026, 10:00 am UTC');
    expect(elsewhere).toBe(1);
  });
});
