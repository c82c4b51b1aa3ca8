import { call, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';
import { matchingDone } from '../support/retention';
import { files, sha256 } from '../support/evidence';

/**
 * The audit chain records who did what to which record, by id: never a person's name, a phone, a
 * date of birth, a plate, a search term or free text, whatever the action. Every action that
 * writes an entry is driven here with distinctive values, and the exported chain (JSONL and CSV)
 * must hold none of them.
 */
const PERSONAL = {
  given: 'Zebedee',
  family: 'Quintrellworth',
  alias: 'Zebbo',
  phone: '+64219998877',
  dob: '1977-07-17',
  plate: 'ZQW987',
  description: 'Xylophonic distinctive phrase in the narrative',
  feature: 'tattoo of a narwhal on the left calf',
  clothing: 'tangerine anorak',
  message: 'Marmalade cassowary message text',
  note: 'Periwinkle decision note',
  reason: 'Holding for Quokka inquiry',
  file: 'Quintrellworth at till 3.jpg',
  search: 'Quintrell',
  acceptNote: 'Aubergine acceptance note',
  splitReason: 'Cerulean brothers split reason',
};

describe('no personal value in any audit entry', () => {
  it('a day of work on one person leaves ids only in the chain', async () => {
    const w = await retailerWorld();
    const compliance = await tokenFor({ org: w.org, roles: ['Compliance'], sub: 'comp-1', mfa: true });
    const person = { ref: 'p1', role: 'offender', name: { given: PERSONAL.given, family: PERSONAL.family, aliases: [PERSONAL.alias] }, phone: PERSONAL.phone, dateOfBirth: PERSONAL.dob, distinguishingFeatures: [PERSONAL.feature], clothing: PERSONAL.clothing };
    const post = async (overrides: Record<string, unknown> = {}) => {
      const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ description: PERSONAL.description, people: [person], vehicles: [{ plate: PERSONAL.plate }], ...overrides }) });
      expect(res.status).toBe(201);
      return res;
    };
    const first = await post();
    const second = await post({ occurredAt: '2026-11-21T10:00:00Z' });
    const ok = (status: number) => expect(status).toBeLessThan(300);

    ok((await call('GET', `/api/v1/events/${first.body.id}`, { token: w.investigator })).status);
    ok((await call('GET', '/api/v1/events?pageSize=5', { token: w.investigator })).status);
    ok((await call('PATCH', `/api/v1/events/${first.body.id}`, { token: w.investigator, body: { description: `${PERSONAL.description} again` }, headers: { 'if-match': first.headers.get('etag')! } })).status);
    ok((await call('PUT', `/api/v1/events/${second.body.id}/legal-hold`, { token: w.investigator, body: { reason: PERSONAL.reason } })).status);
    ok((await call('POST', `/api/v1/events/${first.body.id}/messages`, { token: w.investigator, body: { body: PERSONAL.message } })).status);
    ok((await call('GET', `/api/v1/events/${first.body.id}/messages`, { token: w.investigator })).status);
    const jpeg = await files.jpeg();
    ok((await call('POST', `/api/v1/events/${first.body.id}/evidence`, { token: w.investigator, body: { fileName: PERSONAL.file, contentType: 'image/jpeg', size: jpeg.length, sha256: sha256(jpeg), kind: 'image' } })).status);
    ok((await call('POST', '/api/v1/profiles/search', { token: w.investigator, body: { name: PERSONAL.search } })).status);
    ok((await call('POST', '/api/v1/profiles/search', { token: w.investigator, body: { phone: PERSONAL.phone } })).status);
    ok((await call('POST', '/api/v1/vehicles/enquiries', { token: w.investigator, body: { plate: PERSONAL.plate } })).status);
    ok((await call('POST', '/api/v1/lpr/reads', { token: w.integration, body: { reads: [{ plate: PERSONAL.plate, storeId: 'akl-042', cameraId: 'cam-1', readAt: new Date(Date.now() - 5_000).toISOString(), confidence: 0.9 }] } })).status);
    await matchingDone(w.org, [first.body.id, second.body.id]);
    const links = (await call('GET', '/api/v1/links?status=pending', { token: w.investigator })).body.items as { id: string }[];
    expect(links.length).toBeGreaterThan(0);
    ok((await call('POST', `/api/v1/links/${links[0]!.id}/decision`, { token: w.investigator, body: { decision: 'reject', note: PERSONAL.note } })).status);
    // A third report of the person: its suggestion accepted (a merge), then split again.
    const third = await post({ occurredAt: '2026-11-22T10:00:00Z' });
    await matchingDone(w.org, [third.body.id]);
    const more = (await call('GET', '/api/v1/links?status=pending', { token: w.investigator })).body.items as { id: string; candidate: { profileId: string }; subject: { profileId: string } }[];
    expect(more.length).toBeGreaterThan(0);
    ok((await call('POST', `/api/v1/links/${more[0]!.id}/decision`, { token: w.investigator, body: { decision: 'accept', note: PERSONAL.acceptNote } })).status);
    ok((await call('POST', `/api/v1/profiles/${more[0]!.candidate.profileId}/split`, { token: w.investigator, body: { linkId: more[0]!.id, reason: PERSONAL.splitReason } })).status);
    ok((await call('GET', `/api/v1/profiles/${first.body.people[0].profileId}`, { token: w.investigator })).status);
    ok((await call('GET', '/api/v1/profiles?sort=harm&pageSize=5', { token: w.investigator })).status);
    ok((await call('GET', '/api/v1/links?status=rejected', { token: w.investigator })).status);
    ok((await call('GET', '/api/v1/groups', { token: w.investigator })).status);
    ok((await call('GET', '/api/v1/matching/model', { token: w.investigator })).status);
    ok((await call('GET', '/api/v1/lpr/alerts', { token: w.investigator })).status);
    ok((await call('GET', '/api/v1/analytics', { token: w.investigator })).status);
    ok((await call('POST', '/api/v1/subject-access', { token: compliance, body: { name: `${PERSONAL.given} ${PERSONAL.family}`, phone: PERSONAL.phone } })).status);
    ok((await call('GET', '/api/v1/audit/verify', { token: compliance })).status);
    ok((await call('PUT', '/api/v1/settings', { token: w.admin, body: { retentionDays: 400 } })).status);
    ok((await call('DELETE', `/api/v1/events/${second.body.id}/legal-hold`, { token: w.investigator })).status);
    ok((await call('DELETE', `/api/v1/profiles/${second.body.people[0].profileId}`, { token: w.admin })).status);

    for (const format of ['jsonl', 'csv']) {
      const exported = await call('GET', `/api/v1/audit/export?format=${format}`, { token: compliance });
      expect(exported.status).toBe(200);
      const actions = new Set(exported.text.split('\n').filter(Boolean).flatMap((l) => (format === 'jsonl' ? [JSON.parse(l).action as string] : [])));
      if (format === 'jsonl') {
        for (const action of ['event.create', 'event.read', 'event.list', 'event.update', 'event.legal-hold.place', 'event.legal-hold.remove', 'event.message.post', 'event.message.read', 'evidence.create', 'profile.search', 'lpr.alert', 'lpr.alert.list', 'vehicle.events', 'link.reject', 'link.accept', 'profile.split', 'profile.read', 'profile.list', 'link.list', 'group.list', 'matching-model.read', 'subject-access.export', 'audit.verify', 'settings.update', 'profile.erase']) {
          expect([...actions]).toContain(action);
        }
      }
      const lower = exported.text.toLowerCase();
      for (const [what, value] of Object.entries(PERSONAL)) {
        for (const form of new Set([value, value.toLowerCase(), value.replace(/\D/g, ''), value.replace(/\s/g, '')])) {
          if (form.length >= 4 && lower.includes(form.toLowerCase())) throw new Error(`${format} export holds the ${what} (${form})`);
        }
      }
    }
  }, 120_000);
});
