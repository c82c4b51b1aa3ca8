import { lprReads, type LprReadsStore } from '../../../shared/lpr/lpr-reads';
import type { PlateIndexDoc } from '../../../shared/lpr/plate-index-repository';
import type { OutboxDraft } from '../../../shared/audit/audit-outbox-repository';
import type { LprAlert, PlateReadBatch } from '../../../shared/domain/lpr/lpr-schema';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';
import { canonicalPlate, plateIndexId } from '../../../shared/domain/lpr/plate-index';
import type { OrgType } from '../../../shared/domain/organisation';
import type { Agreement } from '../../../shared/domain/sharing';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError, ValidationError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Plate reads over a plate index in memory: a read of a plate the retailer or an active partner
 * recorded alerts, once per read however often the batch is sent again; a read that does not
 * alert leaves nothing behind; a partner's events an alert disclosed are in the partner's chain;
 * the entries reach the outbox before the alerts, and nothing is stored when they cannot. The
 * same against the emulator in test/integration/app/lpr*.test.ts.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer', partner: 'retailer', stranger: 'retailer' };
const NOW = new Date('2026-11-02T12:00:00Z');

class Records implements LprReadsStore {
  index = new Map<string, PlateIndexDoc>();
  stores = new Set(['shop/s1', 'shop/s2']);
  agreements: Agreement[] = [];
  settings: RetailerSettings = structuredClone(DEFAULT_SETTINGS);
  outbox: { retailerId: string; entry: OutboxDraft }[] = [];
  alerts = new Map<string, LprAlert>();
  chains: { chain: string; action: string; details: Record<string, unknown> }[] = [];
  /** What happened, in order: the crash-safety of the alerts rests on it. */
  steps: string[] = [];
  failOutbox = false;
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  authorize = (caller: Caller) => this.table.check(caller, 'lpr.read', '*');
  knownStore = (retailerId: string, storeId: string) => Promise.resolve(this.stores.has(`${retailerId}/${storeId}`) ? { id: storeId } : undefined);
  getSettings = () => Promise.resolve({ settings: structuredClone(this.settings) });
  listAgreementsOf = (retailerId: string) => Promise.resolve(this.agreements.filter((a) => a.parties.includes(retailerId)));
  readPlateIndexes = (retailerId: string, ids: readonly string[]) =>
    Promise.resolve(new Map(ids.flatMap((id) => (this.index.has(`${retailerId}/${id}`) ? [[id, structuredClone(this.index.get(`${retailerId}/${id}`)!)] as const] : []))));
  writeOutbox = (retailerId: string, entries: OutboxDraft[]) => {
    if (this.failOutbox) return Promise.resolve(false);
    this.steps.push('outbox');
    for (const entry of entries) this.outbox.push({ retailerId, entry });
    return Promise.resolve(true);
  };
  saveAlerts = (_retailerId: string, alerts: readonly LprAlert[]) => {
    this.steps.push('alerts');
    const before = new Map(alerts.flatMap((a) => (this.alerts.has(a.id) ? [[a.id, this.alerts.get(a.id)!.createdAt] as const] : [])));
    for (const a of alerts) if (!this.alerts.has(a.id)) this.alerts.set(a.id, structuredClone(a));
    return Promise.resolve(before);
  };
  settleFreshAudit = (retailerId: string, entry: OutboxDraft) => {
    this.steps.push('settle');
    this.chains.push({ chain: entry.chain ?? retailerId, action: entry.draft.action, details: entry.draft.details ?? {} });
    this.outbox = this.outbox.filter((o) => o.entry.key !== entry.key);
    return Promise.resolve();
  };

  /** An event of `owner` with this plate in the owner's plate index. */
  add(owner: string, eventId: string, plate: string, more: { sensitive?: boolean; violent?: boolean; lossValue?: number } = {}): void {
    const id = plateIndexId(canonicalPlate(plate));
    const doc = this.index.get(`${owner}/${id}`) ?? { id, orgId: owner, docType: 'plate-index' as const, entries: [], truncated: false };
    doc.entries.push({ eventId, plate, storeId: 's1', occurredAt: '2026-10-01T10:00:00.000Z', profileIds: [`profile-${eventId}`], violent: more.violent ?? false, lossValue: more.lossValue ?? 50, sensitive: more.sensitive ?? false });
    this.index.set(`${owner}/${id}`, doc);
  }
}

const agreement = (a: string, b: string, status: Agreement['status']): Agreement => ({ id: `${a}.${b}`, parties: [a, b], proposedBy: a, partnerRetailerId: b, status, createdAt: '', acceptedAt: null, revokedAt: null, revokedBy: null });
const read = (plate: string, more: Partial<PlateReadBatch['reads'][number]> = {}): PlateReadBatch['reads'][number] => ({
  plate,
  storeId: 's1',
  cameraId: 'gate-1',
  readAt: '2026-11-02T11:59:00Z',
  confidence: 0.9,
  ...more,
});

function world() {
  const records = new Records();
  records.add('shop', 'e1', 'ABC123');
  records.add('shop', 'e2', 'SENS01', { sensitive: true });
  records.add('partner', 'p1', 'PRT777');
  records.add('partner', 'p2', 'PRT888', { sensitive: true });
  records.add('stranger', 'x1', 'STR999');
  records.agreements = [agreement('shop', 'partner', 'active'), agreement('shop', 'stranger', 'revoked')];
  return { records, processReads: lprReads(records) };
}
const camera = callerAs('shop', 'Integration');

describe('plate reads over a plate index in memory', () => {
  it('a read of a plate the retailer recorded alerts, with the events and profiles behind it; one that matches nothing is only counted', async () => {
    const { records, processReads } = world();
    const out = await processReads(camera, { reads: [read('abc-123'), read('NOPE42')] }, NOW);
    expect(out).toMatchObject({ reads: 2, misses: 1 });
    expect(out.alerts).toEqual([expect.objectContaining({ plate: 'ABC123', storeId: 's1', cameraId: 'gate-1', eventIds: ['e1'], profileIds: ['profile-e1'], match: 'exact' })]);
    expect([...records.alerts.keys()]).toEqual([out.alerts[0]!.id]);
    // Nothing of the plate that did not alert is kept anywhere.
    expect(JSON.stringify([...records.alerts.values(), records.chains, records.outbox])).not.toContain('NOPE42');
  });

  it('an OCR-confusable read alerts as such; a sensitive event of the retailer itself still alerts its own cameras', async () => {
    const { processReads } = world();
    const out = await processReads(camera, { reads: [read('A8C123'), read('SENS01')] }, NOW);
    expect(out.alerts.map((a) => [a.plate, a.match, a.eventIds])).toEqual([
      ['A8C123', 'ocr', ['e1']],
      ['SENS01', 'exact', ['e2']],
    ]);
  });

  it("an active partner's non-sensitive event alerts and is recorded in the partner's chain; its sensitive one and a revoked partner's do not", async () => {
    const { records, processReads } = world();
    const out = await processReads(camera, { reads: [read('PRT777'), read('PRT888'), read('STR999')] }, NOW);
    expect(out.alerts.map((a) => a.eventIds)).toEqual([['p1']]);
    expect(records.chains).toEqual([
      { chain: 'shop', action: 'lpr.alert', details: expect.objectContaining({ count: 1, alertIds: [out.alerts[0]!.id], eventIds: ['p1'] }) },
      { chain: 'partner', action: 'lpr.alert', details: { relation: 'partner', count: 1, eventIds: ['p1'] } },
    ]);
  });

  it("a batch sent again after the partner revoked shows nothing of the partner's: what an alert shows is decided at each send, as its entries say", async () => {
    const { records, processReads } = world();
    records.add('shop', 'e9', 'PRT777');
    const first = await processReads(camera, { reads: [read('PRT777')] }, NOW);
    expect(first.alerts.map((a) => a.eventIds)).toEqual([['e9', 'p1']]);
    records.agreements[0]!.status = 'revoked';
    records.chains = [];
    const again = await processReads(camera, { reads: [read('PRT777')] }, new Date(NOW.getTime() + 40_000));
    expect(again.alerts).toEqual([expect.objectContaining({ id: first.alerts[0]!.id, createdAt: first.alerts[0]!.createdAt, eventIds: ['e9'], profileIds: ['profile-e9'] })]);
    expect(JSON.stringify(again.alerts)).not.toMatch(/p1|partner/);
    expect(records.chains).toEqual([{ chain: 'shop', action: 'lpr.alert', details: expect.objectContaining({ eventIds: ['e9'] }) }]);
  });

  it("the retailer's rules decide: too few events, or not violent, and the read does not alert", async () => {
    const { records, processReads } = world();
    records.settings.lprAlerts = { minEvents: 2, violentOnly: false, minLossValue: 0 };
    expect((await processReads(camera, { reads: [read('ABC123')] }, NOW)).alerts).toEqual([]);
    records.add('shop', 'e3', 'ABC123');
    expect((await processReads(camera, { reads: [read('ABC123')] }, NOW)).alerts.map((a) => a.eventIds.sort())).toEqual([['e1', 'e3']]);
    records.settings.lprAlerts = { minEvents: 1, violentOnly: true, minLossValue: 0 };
    expect((await processReads(camera, { reads: [read('ABC123')] }, NOW)).alerts).toEqual([]);
  });

  it('the same batch sent again gives the same alert ids: each read is stored once', async () => {
    const { records, processReads } = world();
    const first = await processReads(camera, { reads: [read('ABC123')] }, NOW);
    const again = await processReads(camera, { reads: [read('ABC123')] }, new Date(NOW.getTime() + 40_000));
    // The first answer again (PRODUCT §10b): the same alert, created when it was first stored.
    expect(again.alerts).toEqual(first.alerts);
    expect(records.alerts.size).toBe(1);
    // Two identical reads in one batch are one alert, counted once in the chain.
    const twice = world();
    const doubled = await twice.processReads(camera, { reads: [read('ABC123'), read('ABC123')] }, NOW);
    expect([doubled.alerts.length, twice.records.alerts.size]).toEqual([2, 1]);
    expect(twice.records.chains[0]!.details).toMatchObject({ count: 1, alertIds: [doubled.alerts[0]!.id] });
    const later = await processReads(camera, { reads: [read('ABC123', { readAt: '2026-11-02T11:59:30Z' })] }, NOW);
    expect(later.alerts[0]!.id).not.toBe(first.alerts[0]!.id);
  });

  it('the entries reach the outbox before the alerts are stored and are appended after; when the outbox cannot be written, nothing is stored', async () => {
    const { records, processReads } = world();
    await processReads(camera, { reads: [read('ABC123'), read('PRT777')] }, NOW);
    expect(records.steps).toEqual(['outbox', 'alerts', 'settle', 'settle']);
    expect(records.outbox).toEqual([]);
    const failing = world();
    failing.records.failOutbox = true;
    await expect(failing.processReads(camera, { reads: [read('ABC123')] }, NOW)).rejects.toThrow(/could not be stored/);
    expect([failing.records.alerts.size, failing.records.chains.length]).toEqual([0, 0]);
  });

  it('a read from a store the retailer does not have, or from the future, refuses the whole batch and stores nothing', async () => {
    const { records, processReads } = world();
    const unknown = processReads(camera, { reads: [read('ABC123'), read('ABC123', { storeId: 'elsewhere' })] }, NOW);
    await expect(unknown).rejects.toBeInstanceOf(ValidationError);
    await expect(processReads(camera, { reads: [read('ABC123'), read('ABC123', { storeId: 'elsewhere' })] }, NOW)).rejects.toMatchObject({ code: 'UNKNOWN_STORE' });
    await expect(processReads(camera, { reads: [read('ABC123', { readAt: '2026-11-02T12:05:00Z' })] }, NOW)).rejects.toBeInstanceOf(ValidationError);
    expect([records.alerts.size, records.chains.length, records.steps.length]).toEqual([0, 0, 0]);
  });

  it('asks the one table: only a retailer integration sends reads', async () => {
    const { records, processReads } = world();
    await expect(processReads(callerAs('shop', 'Investigator'), { reads: [read('ABC123')] }, NOW)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.table.asked).toEqual(['lpr.read *']);
    expect(records.alerts.size).toBe(0);
  });
});
