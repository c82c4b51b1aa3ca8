import { randomUUID } from 'node:crypto';
import { container, keyOf, placed, readIfExists } from '../../../shared/adapters/cosmos-containers';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import { chainHolds } from '../../../shared/audit/audit-entry-repository';
import { readPlateIndexes } from '../../../shared/lpr/plate-index-repository';
import { plateIndexId } from '../../../shared/domain/lpr/plate-index';
import { shardOf } from '../../../shared/domain/shards';
import { readEvent } from '../../../shared/events/event-repository';
import { readProfile } from '../../../shared/events/profile-repository';
import { readRecord } from '../../../shared/events/idempotency-repository';
import { adoptLegacyKeyDoc, changeKey, changePopulation, matchKeyDocId, POPULATION_ID, readKey, type MatchKeyDoc } from '../../../shared/matching/matchkey-repository';
import { readModel } from '../../../shared/matching/model-repository';
import { readEvidenceDoc } from '../../../shared/evidence/evidence-repository';
import { readAlert } from '../../../shared/lpr/alert-repository';
import { legacyRecordsRemain } from '../../../shared/migration/legacy-records-repository';
import { migrateToShards } from '../../../shared/migration/shard-migration';
import { processUpload } from '../../../shared/evidence/evidence-processor';
import { evidenceBlobName } from '../../../shared/domain/evidence/evidence-rules';
import { files, storage } from '../support/evidence';
import { call, tokenFor, uniqueId } from '../support/api';
import { ownStack } from '../support/own-stack';
import { eventBody, retailerWorld } from '../support/world';
import { runRetentionSweep } from '../../../shared/retention/retention-sweep';

/**
 * Issue 26 item 4 for the containers that became sharded: a deployment made before shards holds
 * each retailer's match keys, matching model and Idempotency-Key records in one partition of the
 * old containers. After the deployment, intake writes the sharded ones at once; the job moves the
 * old documents in, merging where intake has written the same key since, and can stop and run again.
 */

// Its own stack: the contract test runs the job too, and must not move these documents mid-test.
ownStack();

const day = 86_400_000;

async function legacyRetailer() {
  const org = uniqueId('pre-shards');
  const now = Date.now();
  const keys = container('matchkeys-unsharded');
  const key = (k: string, members: string[]): MatchKeyDoc => ({ id: matchKeyDocId(k), orgId: org, docType: 'matchkey', members, count: members.length, saturated: false });
  await keys.items.create(key('fn:HEMI', ['p-a', 'p-b']));
  await keys.items.create(key('db:19770707', ['p-a']));
  await keys.items.create({ id: POPULATION_ID, orgId: org, docType: 'population', members: [], count: 2, saturated: false });
  await keys.items.create({ id: 'matching-model', orgId: org, docType: 'matching-model', version: 1, source: 'estimated', matchesPerPerson: 1.23, signals: {}, estimatedAt: new Date(now).toISOString(), people: 2, pairs: { candidates: 1, random: 1, labelled: 0 }, iterations: 3 });
  const record = (id: string, expiresAt: number) => ({ id, orgId: org, docType: 'idempotency', requestHash: 'h', resourceId: `r-${id}`, state: 'done', createdAt: new Date(expiresAt - day).toISOString(), expiresAt: new Date(expiresAt).toISOString() });
  await container('idempotency-unsharded').items.create(record('live', now + day / 2));
  await container('idempotency-unsharded').items.create(record('expired', now - 1_000));
  return org;
}

const migrate = async () => call('POST', '/api/v1/admin/jobs/shard-migrate', { token: await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true }) });

describe('moving match keys and Idempotency-Key records into shards', () => {
  jest.setTimeout(60_000);

  it('copies what only the old containers hold, merges what intake wrote since, and leaves the old containers empty', async () => {
    const org = await legacyRetailer();
    // Since the deployment: a new profile holding one of the old keys, and one more person indexed.
    await changeKey(org, 'fn:HEMI', 'p-c', true);
    await changeKey(org, 'fn:HEMI', 'p-b', true);
    await changePopulation(org, 1);

    const res = await migrate();
    expect(res.status).toBe(200);
    expect(res.body.failed).toBe(0);
    expect(res.body.moved).toEqual(expect.arrayContaining([{ container: 'matchkeys-unsharded', documents: 4 }, { container: 'idempotency-unsharded', documents: 2 }]));

    expect(await readKey(org, 'fn:HEMI')).toMatchObject({ members: ['p-a', 'p-c', 'p-b'], count: 3, saturated: false });
    expect(await readKey(org, 'db:19770707')).toMatchObject({ members: ['p-a'], count: 1 });
    expect((await readKey(org, POPULATION_ID))?.count).toBe(3);
    expect(await readModel(org, true)).toMatchObject({ source: 'estimated', matchesPerPerson: 1.23 });
    expect((await readRecord(org, 'live'))?.resourceId).toBe('r-live');
    expect(await readRecord(org, 'expired')).toBeUndefined();
    for (const name of ['matchkeys-unsharded', 'idempotency-unsharded'] as const) {
      const { resources } = await container(name).items.query({ query: 'SELECT c.id FROM c WHERE c.orgId = @o', parameters: [{ name: '@o', value: org }] }).fetchAll();
      expect(resources).toEqual([]);
    }
    // The moved documents sit in the shards their ids fall in.
    const moved = (await readKey(org, 'db:19770707'))!;
    expect((moved as MatchKeyDoc & { shard?: string }).shard).toBe((keyOf('matchkeys', org, moved.id) as string[])[1]);
    expect((await migrate()).body.moved.map((m: { documents: number }) => m.documents)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('a run that stopped after taking a document in and before deleting the old one merges it only once when run again', async () => {
    const org = await legacyRetailer();
    await changeKey(org, 'fn:HEMI', 'p-c', true);
    await changePopulation(org, 1);
    const { resource: old } = await container('matchkeys-unsharded').item(POPULATION_ID, org).read<MatchKeyDoc>();
    const { resource: oldKey } = await container('matchkeys-unsharded').item(matchKeyDocId('fn:HEMI'), org).read<MatchKeyDoc>();
    // The stopped run: both taken in, neither deleted.
    await adoptLegacyKeyDoc(old!);
    await adoptLegacyKeyDoc(oldKey!);
    expect((await migrate()).status).toBe(200);
    expect((await readKey(org, POPULATION_ID))?.count).toBe(3);
    expect(await readKey(org, 'fn:HEMI')).toMatchObject({ members: ['p-a', 'p-b', 'p-c'], count: 3 });
  });

  it("moves a retailer's events, profiles, matching requests and links, each into the shard its id falls in, where the service reads them", async () => {
    const org = uniqueId('pre-shards');
    const eventId = randomUUID();
    const profileId = randomUUID();
    const at = new Date().toISOString();
    const old = container('events-unsharded');
    await old.items.create({ id: eventId, orgId: org, docType: 'event', retailerId: org, storeId: 's1', occurredAt: at, occurredAtUtc: at, type: 'shoplifting', prevented: false, people: [{ ref: 'p1', role: 'offender', profileId }], vehicles: [], products: [], createdAt: at, createdBy: 'old', updatedAt: at, profileIds: [profileId], plates: [], storeJurisdiction: 'NZ-AKL' });
    await old.items.create({ id: profileId, orgId: org, docType: 'profile', eventIds: [eventId], createdAt: at, updatedAt: at });
    await old.items.create({ id: `match-pending:${eventId}`, orgId: org, docType: 'match-pending', eventId, requestedAt: at, resent: 0 });
    await container('links-unsharded').items.create({ id: 'link-old-1', orgId: org, docType: 'link', status: 'pending', createdAt: at });
    // A plate seen before the deployment and again since: both sightings stay.
    const plate = plateIndexId('OLD1');
    const entry = (eventId: string) => ({ eventId, plate: 'OLD1', storeId: 's1', occurredAt: at, profileIds: [], violent: false, lossValue: 0, sensitive: false });
    await old.items.create({ id: plate, orgId: org, docType: 'plate-index', entries: [entry(eventId)], truncated: false });
    await container('plate-index').items.create(placed('plate-index', { id: plate, orgId: org, docType: 'plate-index', entries: [entry('since')], truncated: false }));
    // The event's audit entry still in the outbox, listed before the event it describes.
    const draft = { actor: { sub: 'old', org, roles: ['Reporter'] }, requestId: randomUUID(), action: 'event.create', target: { type: 'event', id: eventId }, outcome: 'success', details: {} };
    await old.items.create({ id: `audit-outbox:event.create:${eventId}`, orgId: org, docType: 'audit-outbox', draft, proofId: eventId, createdAt: at });

    expect((await migrate()).body.failed).toBe(0);
    expect((await readEvent(org, eventId))?.event.people[0]?.profileId).toBe(profileId);
    expect((await readProfile(org, profileId))?.eventIds).toEqual([eventId]);
    expect(await readIfExists('match-pending', org, `match-pending@${eventId}`)).toMatchObject({ eventId, shard: shardOf(eventId) });
    expect(await readIfExists('links', org, 'link-old-1')).toMatchObject({ status: 'pending', shard: shardOf('link-old-1') });
    expect((await readPlateIndexes(org, [plate])).get(plate)?.entries.map((e) => e.eventId).sort()).toEqual([eventId, 'since'].sort());
    await drainAuditOutbox(new Date(Date.now() + OUTBOX_OVERDUE_MS + 60_000), org);
    expect(await chainHolds(org, draft)).toBe(true);
    for (const name of ['events-unsharded', 'links-unsharded'] as const) {
      const { resources } = await container(name).items.query({ query: 'SELECT c.id FROM c WHERE c.orgId = @o', parameters: [{ name: '@o', value: org }] }).fetchAll();
      expect(resources).toEqual([]);
    }
  });

  it("moves a retailer's evidence records and LPR alerts, each after the audit entry that proves it is listed, into the shards of their ids", async () => {
    const org = uniqueId('pre-shards');
    const at = new Date().toISOString();
    const evidenceId = randomUUID();
    const alertId = `alert-${randomUUID()}`;
    const draft = (action: string, target: { type: string; id: string }) => ({ actor: { sub: 'old', org, roles: ['Reporter'] }, requestId: randomUUID(), action, target, outcome: 'success', details: {} });
    const evidenceDraft = draft('evidence.create', { type: 'evidence', id: evidenceId });
    const alertDraft = draft('lpr.alert', { type: 'lpr-alert', id: '*' });
    // Outbox documents first: a page lists them before the records they describe.
    await container('evidence-unsharded').items.create({ id: `audit-outbox:evidence.create:${evidenceId}`, orgId: org, docType: 'audit-outbox', draft: evidenceDraft, proofId: evidenceId, createdAt: at });
    await container('evidence-unsharded').items.create({ id: evidenceId, orgId: org, docType: 'evidence', eventId: randomUUID(), kind: 'image', fileName: 'a.jpg', declared: { contentType: 'image/jpeg', size: 10, sha256: null }, status: 'pending', reason: null, sha256: null, size: null, mediaType: null, image: null, createdAt: at, createdBy: 'old', uploadExpiresAt: at, processedAt: null, uploadEtag: null, custodyLogged: false });
    await container('lpr-alerts-unsharded').items.create({ id: `audit-outbox:lpr.alert:${org}:${randomUUID()}`, orgId: org, docType: 'audit-outbox', chain: org, draft: alertDraft, proofId: alertId, createdAt: at });
    await container('lpr-alerts-unsharded').items.create({ id: alertId, orgId: org, docType: 'lpr-alert', plate: 'OLD1', createdAt: at, eventIds: [], profileIds: [] });
    // With evidence not yet moved, retention must wait: its blobs would look orphaned.
    expect(await legacyRecordsRemain(org)).toBe(true);

    const res = await migrate();
    expect(res.body.failed).toBe(0);
    expect(res.body.moved).toEqual(expect.arrayContaining([{ container: 'evidence-unsharded', documents: 2 }, { container: 'lpr-alerts-unsharded', documents: 2 }]));
    expect(await readEvidenceDoc(org, evidenceId)).toMatchObject({ status: 'pending', shard: shardOf(evidenceId) });
    expect(await readAlert(org, alertId)).toMatchObject({ plate: 'OLD1' });
    expect(await legacyRecordsRemain(org)).toBe(false);
    await drainAuditOutbox(new Date(Date.now() + OUTBOX_OVERDUE_MS + 60_000), org);
    expect(await chainHolds(org, evidenceDraft)).toBe(true);
    expect(await chainHolds(org, alertDraft)).toBe(true);
  });

  it('keeps an upload whose record is not yet moved, and processes it once it is', async () => {
    const org = uniqueId('pre-shards');
    const at = new Date().toISOString();
    const id = randomUUID();
    const jpeg = await files.jpeg(20, 16);
    await container('evidence-unsharded').items.create({ id, orgId: org, docType: 'evidence', eventId: randomUUID(), kind: 'image', fileName: 'a.jpg', declared: { contentType: 'image/jpeg', size: jpeg.length, sha256: null }, status: 'pending', reason: null, sha256: null, size: null, mediaType: null, image: null, createdAt: at, createdBy: 'old', uploadExpiresAt: new Date(Date.now() + 900_000).toISOString(), processedAt: null, uploadEtag: null, custodyLogged: false });
    const upload = storage().getContainerClient('evidence-uploads').getBlockBlobClient(evidenceBlobName(org, id));
    await upload.uploadData(jpeg);
    // Before the move the record looks absent: the upload is not taken for an orphan.
    await expect(processUpload({ retailerId: org, evidenceId: id })).rejects.toThrow('before shards');
    expect(await upload.exists()).toBe(true);
    expect((await migrate()).body.failed).toBe(0);
    // The host's blob trigger comes round again and finds the record in its shard.
    let status: string | undefined;
    for (let i = 0; i < 60 && status !== 'ready'; i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await readEvidenceDoc(org, id))?.status;
    }
    expect(status).toBe('ready');
  });

  it('moves the rest when one document cannot be moved, and counts that one as failed', async () => {
    const org = uniqueId('pre-shards');
    const at = new Date().toISOString();
    const old = container('events-unsharded');
    // Read first (the local server lists by creation), and malformed: it fails every time.
    await old.items.create({ id: 'plate-broken', orgId: org, docType: 'plate-index' });
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) await old.items.create({ id, orgId: org, docType: 'profile', eventIds: [], createdAt: at, updatedAt: at });
    const warn = jest.fn();
    const run = await migrateToShards({ warn }, new Date(), 1);
    expect(run.failed).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    for (const id of ids) expect(await readIfExists('profiles', org, id)).toMatchObject({ id });
    await old.item('plate-broken', org).delete();
  });

  it('retention waits while a retailer still has records in a container from before shards, and purges once they are moved', async () => {
    const w = await retailerWorld();
    const created = await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() });
    expect(created.status).toBe(201);
    const at = new Date().toISOString();
    await container('links-unsharded').items.create({ id: 'link-left', orgId: w.org, docType: 'link', status: 'pending', createdAt: at });
    // Far enough ahead that every event of the retailer is past its retention.
    const later = new Date(Date.now() + 20 * 365 * 86_400_000);
    const warn = jest.fn();
    const waiting = await runRetentionSweep({ warn }, { retailerIds: [w.org], now: later });
    expect(waiting.more).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('still being moved'), expect.objectContaining({ retailerId: w.org }));
    expect(await readEvent(w.org, created.body.id)).toBeDefined();

    expect((await migrate()).body.failed).toBe(0);
    const swept = await runRetentionSweep({ warn }, { retailerIds: [w.org], now: later });
    expect(swept.totals.eventsPurged).toBeGreaterThanOrEqual(1);
    expect(await readEvent(w.org, created.body.id)).toBeUndefined();
  });

  it('takes a container from before shards that an operator has deleted for an empty one', async () => {
    const org = uniqueId('pre-shards');
    await container('evidence-unsharded').delete();
    expect(await legacyRecordsRemain(org)).toBe(false);
    const res = await migrate();
    expect(res.status).toBe(200);
    expect(res.body.moved).toEqual(expect.arrayContaining([{ container: 'evidence-unsharded', documents: 0 }]));
  });
});
