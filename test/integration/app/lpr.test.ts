import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PURPOSE, call, createOrg, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

type World = Awaited<ReturnType<typeof retailerWorld>>;

/** A plate no other test uses: letters and digits that OCR folding leaves distinct. */
const uniquePlate = (prefix = 'LP'): string => `${prefix}${randomInt(100000, 999999)}`;

const read = (plate: string, extra: Record<string, unknown> = {}) => ({
  plate,
  storeId: 'akl-042',
  cameraId: 'cam-1',
  readAt: new Date(Date.now() - 5_000).toISOString(),
  confidence: 0.93,
  ...extra,
});

async function report(w: World, plate: string, overrides: Record<string, unknown> = {}, token = w.investigator) {
  const res = await call('POST', '/api/v1/events', { token, body: eventBody({ vehicles: [{ plate }], ...overrides }) });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string; people: { profileId: string }[] };
}

async function reads(w: World, batch: unknown[], token = w.integration) {
  return call('POST', '/api/v1/lpr/reads', { token, body: { reads: batch } });
}

async function setRules(w: World, lprAlerts: Record<string, unknown>) {
  const res = await call('PUT', '/api/v1/settings', { token: w.admin, body: { lprAlerts } });
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
}

async function partnerUp(a: World, b: World): Promise<string> {
  const proposed = await call('POST', '/api/v1/agreements', { token: a.admin, body: { partnerRetailerId: b.org } });
  await call('POST', `/api/v1/agreements/${proposed.body.id}/accept`, { token: b.admin });
  return proposed.body.id;
}

async function chainOf(org: string) {
  const { readChain } = await import('../../../shared/audit/audit-entry-repository');
  const out = [];
  for await (const e of readChain(org)) out.push(e);
  return out;
}

describe('LPR reads', () => {
  it('alerts on a plate of an earlier event, exact and OCR-confusable, with the ids, and stores and audits the alert', async () => {
    const w = await retailerWorld();
    const plate = uniquePlate('BS');
    const event = await report(w, `${plate.slice(0, 2)} ${plate.slice(2)}`);
    // B/8 and S/5 confused by the camera: the same vehicle.
    const ocr = `85${plate.slice(2)}`;
    const miss = uniquePlate('QX');
    const res = await reads(w, [read(plate.toLowerCase()), read(ocr, { cameraId: 'cam-2' }), read(miss)]);
    expect(res.status).toBe(200);
    expect(res.body.reads).toBe(3);
    expect(res.body.misses).toBe(1);
    expect(res.body.alerts).toHaveLength(2);
    const [exact, confused] = res.body.alerts;
    expect(exact).toMatchObject({ plate, storeId: 'akl-042', eventIds: [event.id], profileIds: [event.people[0]!.profileId], match: 'exact' });
    expect(confused).toMatchObject({ plate: ocr, eventIds: [event.id], match: 'ocr' });
    expect(typeof exact.reason).toBe('string');
    expect(exact.readAt).toEqual(expect.any(String));

    const listed = await call('GET', '/api/v1/lpr/alerts?pageSize=1', { token: w.investigator });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const next = await call('GET', `/api/v1/lpr/alerts?pageSize=1&continuationToken=${listed.body.continuationToken}`, { token: w.investigator });
    expect([...listed.body.items, ...next.body.items].map((a: { id: string }) => a.id).sort()).toEqual([exact.id, confused.id].sort());
    expect((await call('GET', `/api/v1/lpr/alerts/${exact.id}`, { token: w.investigator })).body).toMatchObject({ id: exact.id, eventIds: [event.id] });

    // A retried batch stores nothing new, and is answered with the alert as first stored (PRODUCT §10b).
    const resent = await reads(w, [{ ...read(plate.toLowerCase()), readAt: exact.readAt }]);
    expect(resent.body.alerts).toEqual([exact]);
    const again = await call('GET', '/api/v1/lpr/alerts?pageSize=100', { token: w.investigator });
    expect(again.body.items.filter((a: { id: string }) => a.id === exact.id)).toHaveLength(1);

    const chain = await chainOf(w.org);
    const alertEntry = chain.find((e) => e.action === 'lpr.alert');
    expect(alertEntry?.details).toMatchObject({ count: 2, eventIds: [event.id] });
    expect(JSON.stringify(chain)).not.toContain(plate);
    expect(chain.some((e) => e.action === 'lpr.alert.list')).toBe(true);
  });

  it('applies the lprAlerts rules: minEvents, violentOnly, minLossValue', async () => {
    const w = await retailerWorld();
    const calm = uniquePlate('CA');
    const violent = uniquePlate('VI');
    const twice = uniquePlate('TW');
    const noViolence = { violence: { threatened: false, used: false, weapon: 'none' } };
    await report(w, calm, { ...noViolence, products: [{ name: 'Gum', quantity: 1, unitValue: 2 }] });
    await report(w, violent, { violence: { threatened: true, used: true, weapon: 'knife' }, products: [{ name: 'TV', quantity: 1, unitValue: 900 }] });
    await report(w, twice, noViolence);
    await report(w, twice, { ...noViolence, occurredAt: '2026-11-21T09:00:00Z' });
    const batch = [read(calm), read(violent), read(twice)];
    const alerted = async () => ((await reads(w, batch)).body.alerts as { plate: string }[]).map((a) => a.plate).sort();

    expect(await alerted()).toEqual([calm, twice, violent].sort());
    await setRules(w, { minEvents: 2 });
    expect(await alerted()).toEqual([twice]);
    await setRules(w, { minEvents: 1, violentOnly: true });
    expect(await alerted()).toEqual([violent]);
    await setRules(w, { violentOnly: false, minLossValue: 100 });
    expect(await alerted()).toEqual([twice, violent].sort());
    await setRules(w, { minLossValue: 1000 });
    expect(await alerted()).toEqual([]);
  });

  it('partners’ non-sensitive events alert only while an agreement is active; sensitive ones never do; own sensitive ones do', async () => {
    const a = await retailerWorld();
    const b = await retailerWorld();
    const shared = uniquePlate('PA');
    const secret = uniquePlate('SE');
    const ownSecret = uniquePlate('OS');
    const partnerEvent = await report(b, shared);
    await report(b, secret, { sensitive: true });
    const own = await report(a, ownSecret, { sensitive: true });
    const batch = [read(shared), read(secret), read(ownSecret)];

    const before = await reads(a, batch);
    expect(before.body.alerts.map((x: { plate: string }) => x.plate)).toEqual([ownSecret]);
    expect(before.body.alerts[0].eventIds).toEqual([own.id]);

    const agreement = await partnerUp(a, b);
    const during = await reads(a, batch);
    expect(during.body.alerts.map((x: { plate: string }) => x.plate).sort()).toEqual([shared, ownSecret].sort());
    const partnerAlert = during.body.alerts.find((x: { plate: string }) => x.plate === shared);
    expect(partnerAlert).toMatchObject({ eventIds: [partnerEvent.id], retailerIds: [b.org] });
    // The partner's chain records that its event was disclosed by an alert.
    expect((await chainOf(b.org)).some((e) => e.action === 'lpr.alert' && (e.details.eventIds as string[]).includes(partnerEvent.id))).toBe(true);

    await call('DELETE', `/api/v1/agreements/${agreement}`, { token: b.admin });
    const after = await reads(a, batch);
    expect(after.body.alerts.map((x: { plate: string }) => x.plate)).toEqual([ownSecret]);
  });

  it('keeps the index current when events are created, corrected and deleted', async () => {
    const w = await retailerWorld();
    const first = uniquePlate('FI');
    const second = uniquePlate('SC');
    const hits = async () => ((await reads(w, [read(first), read(second)])).body.alerts as { plate: string; profileIds: string[] }[]);

    expect(await hits()).toEqual([]);
    const event = await report(w, first);
    expect((await hits()).map((a) => a.plate)).toEqual([first]);

    const current = await call('GET', `/api/v1/events/${event.id}`, { token: w.investigator });
    const patched = await call('PATCH', `/api/v1/events/${event.id}`, {
      token: w.investigator,
      body: { vehicles: [{ plate: second }], violence: { threatened: false, used: false, weapon: 'none' } },
      headers: { 'if-match': current.headers.get('etag')!, 'content-type': 'application/merge-patch+json' },
    });
    expect(patched.status).toBe(200);
    expect((await hits()).map((a) => a.plate)).toEqual([second]);
    // The corrected facts reach the rules too: no longer violent.
    await setRules(w, { violentOnly: true });
    expect(await hits()).toEqual([]);
    await setRules(w, { violentOnly: false });

    expect((await call('DELETE', `/api/v1/events/${event.id}`, { token: w.admin })).status).toBe(204);
    expect(await hits()).toEqual([]);
  });

  it('an alert goes with the event it names (the reader\'s or a partner\'s) and with the person it names when they are erased', async () => {
    const a = await retailerWorld();
    const b = await retailerWorld();
    await partnerUp(a, b);
    const [ownPlate, partnerPlate, personPlate, keptPlate] = [uniquePlate('OW'), uniquePlate('PT'), uniquePlate('PE'), uniquePlate('KP')];
    const own = await report(a, ownPlate);
    const partners = await report(b, partnerPlate);
    const person = await report(a, personPlate);
    await report(a, keptPlate);
    const alerted = await reads(a, [read(ownPlate), read(partnerPlate), read(personPlate), read(keptPlate)]);
    expect(alerted.body.alerts).toHaveLength(4);
    const alertOf = (plate: string) => alerted.body.alerts.find((x: { plate: string }) => x.plate === plate).id as string;
    const stored = async () => {
      const listed = await call('GET', '/api/v1/lpr/alerts?pageSize=100', { token: a.investigator });
      return (listed.body.items as { id: string }[]).map((x) => x.id).sort();
    };
    expect(await stored()).toEqual([ownPlate, partnerPlate, personPlate, keptPlate].map(alertOf).sort());

    expect((await call('DELETE', `/api/v1/events/${own.id}`, { token: a.admin })).status).toBe(204);
    expect((await call('DELETE', `/api/v1/events/${partners.id}`, { token: b.admin })).status).toBe(204);
    const erasing = await call('DELETE', `/api/v1/profiles/${person.people[0]!.profileId}`, { token: a.admin });
    expect(erasing.status).toBe(200);
    expect(await stored()).toEqual([alertOf(keptPlate)]);
    for (const plate of [ownPlate, partnerPlate, personPlate]) {
      expect((await call('GET', `/api/v1/lpr/alerts/${alertOf(plate)}`, { token: a.investigator })).status).toBe(404);
    }
  });

  it('an alert proving audit entries still in the outbox (its batch stopped before appending them) goes only after they are in the chain', async () => {
    const w = await retailerWorld();
    const plate = uniquePlate('PR');
    const event = await report(w, plate);
    const alert = (await reads(w, [read(plate)])).body.alerts[0] as { id: string };
    // As a reader stopped between storing its alerts and appending their entries leaves them.
    const { writeAuditOutbox } = await import('../../../shared/audit/audit-outbox-repository');
    const requestId = `stopped-${alert.id}`;
    await writeAuditOutbox(
      w.org,
      {
        key: `lpr.alert:${w.org}:stopped@${alert.id}`,
        where: 'lpr-alerts-audit-outbox',
        proofId: alert.id,
        draft: { actor: { sub: 'pos-system', org: w.org, roles: ['Integration'] }, action: 'lpr.alert', target: { type: 'lpr-alert', id: '*' }, outcome: 'success', requestId, details: { count: 1, alertIds: [alert.id] } },
      },
      new Date(),
    );
    expect((await call('DELETE', `/api/v1/events/${event.id}`, { token: w.admin })).status).toBe(204);
    expect((await call('GET', `/api/v1/lpr/alerts/${alert.id}`, { token: w.investigator })).status).toBe(404);
    expect((await chainOf(w.org)).filter((e) => e.requestId === requestId).map((e) => e.action)).toEqual(['lpr.alert']);
  });

  it('misses leave no trace: not in any container, blob, queue, audit chain or log, in any form', async () => {
    const w = await retailerWorld();
    // 'XKO…' folds to 'XK0…': both forms are distinctive enough to search for (a folded 'ZQ…' would be all digits).
    const misses = Array.from({ length: 150 }, () => uniquePlate('XKO'));
    const res = await reads(w, misses.map((p) => read(p)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ alerts: [], reads: 150, misses: 150 });
    // An enquiry must not put its plate in the logs either; nor the retired form with the plate in the path (410).
    const enquired = uniquePlate('EQ');
    expect((await call('POST', '/api/v1/vehicles/enquiries', { token: w.investigator, body: { plate: enquired } })).status).toBe(200);
    expect((await call('GET', `/api/v1/vehicles/${enquired}/events?echo=${enquired}`, { token: w.investigator })).status).toBe(410);

    const { physicalContainers, blobContainers } = await import('../../../shared/adapters/cosmos-containers');
    const { database } = await import('../../../shared/adapters/azure-clients');
    const { blobServiceClient, queueServiceClient } = await import('../../../shared/adapters/azure-clients');
    const { plateIndexId, canonicalPlate } = await import('../../../shared/domain/lpr/plate-index');
    // Each plate as read, in its OCR-folded form (what the index is keyed on) and as an index id.
    const folded = misses.map((p) => canonicalPlate(p));
    expect(folded.every((f, i) => f !== misses[i])).toBe(true);
    const needles = [...misses, ...folded, ...folded.map((f) => plateIndexId(f))];
    const found = (text: string) => needles.filter((n) => text.includes(n));

    for (const { id: name } of physicalContainers()) {
      const { resources } = await database().container(name).items.query('SELECT * FROM c').fetchAll();
      expect({ name, found: found(JSON.stringify(resources)) }).toEqual({ name, found: [] });
    }
    for (const name of blobContainers) {
      const client = blobServiceClient().getContainerClient(name);
      if (!(await client.exists())) continue;
      for await (const blob of client.listBlobsFlat()) {
        expect(found(blob.name)).toEqual([]);
        if ((blob.properties.contentLength ?? 0) > 1024 * 1024) continue;
        const text = (await client.getBlobClient(blob.name).downloadToBuffer()).toString('latin1');
        expect({ blob: blob.name, found: found(text) }).toEqual({ blob: blob.name, found: [] });
      }
    }
    // Every queue, poison queues included: the stack drains them, so each holds few enough visible
    // messages for one peek to see them all (asserted); bodies are searched raw and base64-decoded.
    for await (const q of queueServiceClient().listQueues()) {
      const client = queueServiceClient().getQueueClient(q.name);
      const visible = (await client.getProperties()).approximateMessagesCount ?? 0;
      expect({ queue: q.name, beyondOnePeek: visible > 32 }).toEqual({ queue: q.name, beyondOnePeek: false });
      const { peekedMessageItems } = await client.peekMessages({ numberOfMessages: 32 });
      for (const m of peekedMessageItems) {
        const text = `${m.messageText}\n${Buffer.from(m.messageText, 'base64').toString('utf8')}`;
        expect({ queue: q.name, found: found(text) }).toEqual({ queue: q.name, found: [] });
      }
    }
    const log = readFileSync(process.env.DAYBREAK_STACK_LOG!, 'utf8');
    expect(log).toContain('lpr-reads');
    expect(found(log)).toEqual([]);
    expect(log).not.toContain(enquired);
  });
});

describe('LPR bad input', () => {
  let w: World;
  beforeAll(async () => {
    w = await retailerWorld();
  });

  it.each([
    ['a malformed plate', { plate: 'AB$12' }, 'reads.0.plate'],
    ['a plate too long once normalised', { plate: 'ABCDEFGHIJKLMN' }, 'reads.0.plate'],
    ['a confidence above 1', { confidence: 1.2 }, 'reads.0.confidence'],
    ['a negative confidence', { confidence: -0.1 }, 'reads.0.confidence'],
    ['a read time that is not a date', { readAt: 'yesterday' }, 'reads.0.readAt'],
    ['a read time in the future', { readAt: new Date(Date.now() + 5 * 60_000).toISOString() }, 'reads.0.readAt'],
    ['a read time before 2000', { readAt: '0000-01-01T00:00:00Z' }, 'reads.0.readAt'],
    ['an unknown store', { storeId: 'nowhere-1' }, 'reads.0.storeId'],
    ['an unknown field', { colour: 'red' }, 'reads.0'],
  ])('%s refuses the whole batch with 400 naming the read', async (_what, bad, path) => {
    const plate = uniquePlate('BD');
    await report(w, plate);
    const res = await reads(w, [{ ...read(plate), ...bad }, read(plate)]);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(res.text).not.toContain(plate);
  });

  it('an empty batch is a 400, more than 500 reads too, a read time within the 60 s skew is fine', async () => {
    expect((await reads(w, [])).status).toBe(400);
    expect((await call('POST', '/api/v1/lpr/reads', { token: w.integration, body: {} })).status).toBe(400);
    const hit = uniquePlate('HI');
    await report(w, hit);
    // 500 distinct plates: several look-up chunks of 100; the hit is in the last one.
    const many = Array.from({ length: 501 }, (_, i) => read(i === 450 ? hit : uniquePlate(`M${String.fromCharCode(65 + (i % 26))}`)));
    const tooMany = await reads(w, many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.code).toBe('VALIDATION_FAILED');
    const full = await reads(w, many.slice(0, 500));
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ reads: 500, misses: 499, alerts: [expect.objectContaining({ plate: hit })] });
    expect((await reads(w, [read('ABC123', { readAt: new Date(Date.now() + 30_000).toISOString() })])).status).toBe(200);
  });

  it('a camera system scoped to some stores (the stores claim) checks reads from those only: 403 for the batch, nothing alerts', async () => {
    const plate = uniquePlate('SC');
    await report(w, plate);
    const scoped = await tokenFor({ org: w.org, roles: ['Integration'], sub: 'pos-wgn', stores: ['wgn-007'] });
    const refused = await reads(w, [read(plate, { storeId: 'wgn-007' }), read(plate)], scoped);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'STORE_OUT_OF_SCOPE', errors: [{ path: 'reads.1.storeId' }] });
    const alerts = await call('GET', '/api/v1/lpr/alerts', { token: w.investigator });
    expect(alerts.body.items.filter((a: { plate: string }) => a.plate === plate)).toEqual([]);
    expect((await reads(w, [read(plate, { storeId: 'wgn-007' })], scoped)).body.alerts).toEqual([expect.objectContaining({ plate, storeId: 'wgn-007' })]);
  });

  it('only Integration posts reads; only Investigators read alerts; others’ alerts are 404', async () => {
    for (const token of [w.reporter, w.investigator, w.admin, await tokenFor({ org: await createOrg('agency'), roles: ['PoliceOfficer'] })]) {
      expect((await reads(w, [read('ABC123')], token)).status).toBe(403);
    }
    const plate = uniquePlate('RO');
    await report(w, plate);
    const alert = (await reads(w, [read(plate)])).body.alerts[0];
    for (const token of [w.reporter, w.integration, w.admin, w.compliance, await tokenFor({ org: await createOrg('agency'), roles: ['PoliceOfficer'] })]) {
      expect((await call('GET', '/api/v1/lpr/alerts', { token })).status).toBe(403);
      expect((await call('GET', `/api/v1/lpr/alerts/${alert.id}`, { token })).status).toBe(403);
    }
    const other = await retailerWorld();
    expect((await call('GET', `/api/v1/lpr/alerts/${alert.id}`, { token: other.investigator })).status).toBe(404);
    expect((await call('GET', '/api/v1/lpr/alerts', { token: other.investigator })).body.items).toEqual([]);
    expect((await call('GET', '/api/v1/lpr/alerts?pageSize=0', { token: w.investigator })).status).toBe(400);
    expect((await call('GET', '/api/v1/lpr/alerts?continuationToken=nope', { token: w.investigator })).status).toBe(400);
  });
});

describe('vehicle enquiries', () => {
  it('answer the events the caller may see, through the one visibility rule, audited in each owner’s chain', async () => {
    const a = await retailerWorld();
    const b = await retailerWorld();
    const c = await retailerWorld();
    await partnerUp(a, b);
    const plate = uniquePlate('VE');
    const aklEvent = await report(a, plate);
    const wgnEvent = await report(a, plate, { storeId: 'wgn-007', occurredAt: '2026-11-21T09:00:00Z' });
    const internal = await report(a, plate, { policeSharing: { mode: 'internal', excludeAgencies: [] }, occurredAt: '2026-11-19T09:00:00Z' });
    const sensitive = await report(a, plate, { sensitive: true, occurredAt: '2026-11-18T09:00:00Z' });
    const bEvent = await report(b, plate);
    const cEvent = await report(c, plate);
    const other = await report(a, uniquePlate('OT'));

    const akl = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const officer = await tokenFor({ org: akl, roles: ['PoliceOfficer'], sub: 'officer-ve' });
    const url = '/api/v1/vehicles/enquiries';
    const body = { plate: `${plate.slice(0, 2)}-${plate.slice(2).toLowerCase()}` };
    const forPolice = await call('POST', url, { token: officer, headers: PURPOSE, body });
    expect(forPolice.status).toBe(200);
    const policeIds = forPolice.body.items.map((e: { id: string }) => e.id);
    expect(policeIds).toEqual(expect.arrayContaining([aklEvent.id, bEvent.id, cEvent.id]));
    for (const hidden of [wgnEvent.id, internal.id, sensitive.id, other.id]) expect(policeIds).not.toContain(hidden);

    const forA = await call('POST', url, { token: a.investigator, body });
    const aIds = forA.body.items.map((e: { id: string }) => e.id);
    expect(aIds.sort()).toEqual([aklEvent.id, wgnEvent.id, internal.id, sensitive.id, bEvent.id].sort());
    const forC = await call('POST', url, { token: c.investigator, body });
    expect(forC.body.items.map((e: { id: string }) => e.id)).toEqual([cEvent.id]);

    const aChain = await chainOf(a.org);
    expect(aChain.some((e) => e.action === 'vehicle.events' && e.actor.org === akl && (e.details.eventIds as string[]).includes(aklEvent.id))).toBe(true);
    expect((await chainOf(b.org)).some((e) => e.action === 'vehicle.events' && e.actor.org === a.org && e.details.relation === 'partner')).toBe(true);
    expect(JSON.stringify(aChain)).not.toContain(plate);

    for (const token of [a.reporter, a.integration, a.admin, a.compliance]) expect((await call('POST', url, { token, body })).status).toBe(403);
    // A role from the wrong kind of organisation: an officer of a retailer, an investigator of an agency.
    for (const [org, role] of [[a.org, 'PoliceOfficer'], [akl, 'Investigator']] as const) {
      const refused = await call('POST', url, { token: await tokenFor({ org, roles: [role] }), body });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await call('POST', url, { token: officer, headers: PURPOSE, body: { plate: 'AB$1' } })).status).toBe(400);
    expect((await call('POST', url, { token: officer, headers: PURPOSE, body: { plate: 'ABC123', echo: 1 } })).status).toBe(400);
  });
});
