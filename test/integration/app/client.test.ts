import { randomUUID } from 'node:crypto';
import { daybreakClient, type components } from '../../../clients/ts/src/index';
import { postEvent } from '../../../clients/ts/examples/post-events';
import { PURPOSE, createOrg, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

type EventInput = components['schemas']['EventInput'];

/** The typed client (clients/ts), generated from the document the service serves, used as an integrator would. */
describe('the typed client', () => {
  const base = () => process.env.DAYBREAK_BASE_URL!;

  it('posts events with an Idempotency-Key and retries safely; reads, searches and gets typed problems', async () => {
    const w = await retailerWorld();
    const reporter = daybreakClient(base(), w.reporter);
    const investigator = daybreakClient(base(), w.investigator);
    const input = eventBody() as EventInput;
    const key = randomUUID();
    const first = await postEvent(reporter, input, { key });
    const again = await postEvent(reporter, input, { key });
    expect(again.id).toBe(first.id);

    const read = await investigator.GET('/api/v1/events/{id}', { params: { path: { id: first.id } } });
    expect(read.data?.id).toBe(first.id);
    expect(read.response.headers.get('etag')).toBeTruthy();
    const listed = await investigator.GET('/api/v1/events', { params: { query: { pageSize: 10 } } });
    expect(listed.data?.items.map((e) => e.id)).toContain(first.id);
    const search = await reporter.POST('/api/v1/profiles/search', { body: { name: 'Jon Smith' } });
    expect(search.response.status).toBe(200);
    expect(Array.isArray(search.data?.items)).toBe(true);

    const bad = await reporter.POST('/api/v1/events', { body: { ...input, type: 'not-a-type' } as unknown as EventInput });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.code).toBe('VALIDATION_FAILED');
    const missing = await investigator.GET('/api/v1/events/{id}', { params: { path: { id: randomUUID() } } });
    expect([missing.response.status, missing.error?.code]).toEqual([404, 'NOT_FOUND']);

    const settings = await daybreakClient(base(), w.admin).GET('/api/v1/settings');
    expect(settings.data?.riskTiers.map((t) => t.name)).toEqual(['extreme-threat', 'serious-threat', 'high-loss']);
  });

  it('states a police officer’s purpose in typed headers, and subscribes to alerts', async () => {
    const w = await retailerWorld();
    const shared = await postEvent(daybreakClient(base(), w.reporter), eventBody({ policeSharing: { mode: 'all', excludeAgencies: [] } }) as EventInput);
    const officer = daybreakClient(base(), await tokenFor({ org: await createOrg('agency'), roles: ['PoliceOfficer'] }));
    const read = await officer.GET('/api/v1/events/{id}', { params: { path: { id: shared.id }, header: { 'x-legal-basis': 'investigation', 'x-case-reference': PURPOSE['x-case-reference'] } } });
    expect(read.data?.id).toBe(shared.id);
    const refused = await officer.GET('/api/v1/events/{id}', { params: { path: { id: shared.id } } });
    expect(refused.error?.code).toBe('PURPOSE_REQUIRED');
    // Loopback only (a digest run by another test would deliver to it), and ended before the test ends.
    const investigator = daybreakClient(base(), w.investigator);
    const sub = await investigator.POST('/api/v1/subscriptions', {
      body: { name: 'typed', filter: { violence: 'threatened' }, delivery: { mode: 'digest', url: 'http://127.0.0.1:9/daybreak' } },
    });
    expect(sub.data?.secret).toMatch(/^whsec_/);
    expect(sub.response.headers.get('location')).toBe(`/api/v1/subscriptions/${sub.data?.id}`);
    const gone = await investigator.DELETE('/api/v1/subscriptions/{id}', { params: { path: { id: sub.data!.id } } });
    expect(gone.response.status).toBe(204);
  });
});
