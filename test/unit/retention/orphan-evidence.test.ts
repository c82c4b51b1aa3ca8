import { orphanEvidenceSweeping, type OrphanEvidenceStore, type OrphanOptions } from '../../../shared/retention/orphan-evidence';
import type { SweepStateDoc } from '../../../shared/retention/aggregate-repository';
import type { EvidenceDoc } from '../../../shared/evidence/evidence-repository';
import type { EventDoc } from '../../../shared/events/event-repository';
import { EVIDENCE, QUARANTINE, UPLOADS } from '../../../shared/adapters/evidence-blobs';

/**
 * The orphan-evidence scan over blobs, evidence records and events in memory. Which blobs it looks
 * at, what it deletes and purges, and how it pages are its own; storage is faked as it behaves:
 * a listing is in name order, a page at a time, resumed from an opaque marker (so blobs deleted
 * behind it do not move it), and ends with no marker; a batch read takes at most 100 ids and, like
 * the bulk read of the sharded evidence container, refuses an id holding a '/'; the evidence purge
 * removes an item's blobs in every container, then its record. The sweep that calls this runs
 * against the emulators in test/integration/app/retention*.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const OPTIONS: OrphanOptions = { now: NOW, minAgeMs: HOUR, maxBlobs: 500 };
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const CONTAINERS = [UPLOADS, EVIDENCE, QUARANTINE];

class Storage implements OrphanEvidenceStore {
  /** Container → blob name → last modified. */
  blobs = new Map<string, Map<string, Date>>(CONTAINERS.map((c) => [c, new Map()]));
  /** "retailer|id" → the evidence record. */
  records = new Map<string, EvidenceDoc>();
  /** "retailer|id" → the event document (purging or not). */
  events = new Map<string, EventDoc>();
  /** Every blob a listing answered, as "container/name", in order. */
  listed: string[] = [];
  /** The ids of each batch read of records, in order. */
  recordReads: string[][] = [];
  /** The ids of each batch read of events, in order. */
  eventReads: string[][] = [];
  /** What changed, in order. */
  ops: string[] = [];

  /** As Azure's flat listing: names in order under the prefix, a page from the marker, the next marker only when a blob follows. */
  listBlobPage = async (containerName: string, prefix: string, maxPageSize: number, continuationToken?: string) => {
    const names = [...this.blobs.get(containerName)!.keys()]
      .filter((n) => n.startsWith(prefix))
      .sort()
      .filter((n) => continuationToken === undefined || n >= markerName(continuationToken));
    const page = names.slice(0, maxPageSize);
    page.forEach((n) => this.listed.push(`${containerName}/${n}`));
    const next = names[maxPageSize];
    return { blobs: page.map((name) => ({ name, lastModified: this.blobs.get(containerName)!.get(name)! })), next: next === undefined ? null : marker(next) };
  };
  readEvidenceDocs = async (retailerId: string, ids: readonly string[]) => {
    this.recordReads.push([...ids]);
    return readAsBatch(this.records, retailerId, ids);
  };
  readEventDocs = async (retailerId: string, ids: readonly string[]) => {
    this.eventReads.push([...ids]);
    return readAsBatch(this.events, retailerId, ids);
  };
  deleteBlob = async (containerName: string, name: string) => {
    if (!this.blobs.get(containerName)!.delete(name)) return false;
    this.ops.push(`delete ${containerName}/${name}`);
    return true;
  };
  /** As event-evidence.ts: each record of the event, its blobs in every container, then the record. */
  purgeEvidenceOfEvent = async (retailerId: string, eventId: string) => {
    const docs = [...this.records.values()].filter((d) => d.orgId === retailerId && d.eventId === eventId);
    this.ops.push(`purge evidence of ${eventId}`);
    for (const doc of docs) {
      for (const c of [UPLOADS, QUARANTINE, EVIDENCE]) this.blobs.get(c)!.delete(`${retailerId}/${doc.id}`);
      this.records.delete(`${retailerId}|${doc.id}`);
    }
    return docs.length;
  };

  blob(containerName: string, name: string, age: number): void {
    this.blobs.get(containerName)!.set(name, ago(age));
  }
  record(id: string, eventId: string, age: number, retailerId = 'shop'): void {
    this.records.set(`${retailerId}|${id}`, { id, orgId: retailerId, docType: 'evidence', eventId, createdAt: ago(age).toISOString() } as EvidenceDoc);
  }
  event(id: string, purging = false, retailerId = 'shop'): void {
    this.events.set(`${retailerId}|${id}`, { id, orgId: retailerId, docType: 'event', ...(purging ? { purging } : {}) } as EventDoc);
  }
  has = (containerName: string, name: string) => this.blobs.get(containerName)!.has(name);
}

const marker = (name: string) => `marker!${Buffer.from(name).toString('base64')}`;
const markerName = (token: string) => Buffer.from(token.slice('marker!'.length), 'base64').toString();

/** As readBatch: at most 100 ids, in their order, undefined where absent; the sharded containers' bulk read refuses an id holding a '/'. */
function readAsBatch<T>(docs: Map<string, T>, retailerId: string, ids: readonly string[]): (T | undefined)[] {
  if (ids.length > 100) throw new RangeError('At most 100 ids per batch.');
  const illegal = ids.find((id) => /[/\\#]/.test(id));
  if (illegal !== undefined) throw new Error(`Illegal characters ['/', '\\', '#'] cannot be used in Resource ID (${illegal}).`);
  return ids.map((id) => structuredClone(docs.get(`${retailerId}|${id}`)));
}

const freshState = (retailerId = 'shop'): SweepStateDoc => ({ id: 'sweep-state', orgId: retailerId, docType: 'sweep-state', orphanScan: {} });

function world() {
  const storage = new Storage();
  const { sweepOrphanEvidence } = orphanEvidenceSweeping(storage);
  const state = freshState();
  const run = (options: Partial<OrphanOptions> = {}) => sweepOrphanEvidence('shop', state, { ...OPTIONS, ...options });
  return { storage, state, run };
}

describe('blobs and their records', () => {
  test('a blob whose record and event are there is kept, in every container', async () => {
    const { storage, run } = world();
    storage.event('event-1');
    storage.record('ev-aaaa-0001', 'event-1', 2 * HOUR);
    for (const c of CONTAINERS) storage.blob(c, 'shop/ev-aaaa-0001', 2 * HOUR);
    expect(await run()).toEqual({ blobsDeleted: 0, recordsPurged: 0, more: false });
    expect(storage.ops).toEqual([]);
    expect(CONTAINERS.every((c) => storage.has(c, 'shop/ev-aaaa-0001'))).toBe(true);
    expect(storage.recordReads).toEqual([['ev-aaaa-0001'], ['ev-aaaa-0001'], ['ev-aaaa-0001']]);
    expect(storage.eventReads).toEqual([['event-1']]);
  });

  test('a blob without a record is deleted once it is minAgeMs old (to the millisecond); a younger one, perhaps an upload in flight, stays', async () => {
    const { storage, run } = world();
    storage.blob(UPLOADS, 'shop/ev-old-00001', 2 * HOUR);
    storage.blob(UPLOADS, 'shop/ev-edge-0001', HOUR);
    storage.blob(UPLOADS, 'shop/ev-young-001', HOUR - 1);
    storage.blob(EVIDENCE, 'shop/ev-old-00002', 3 * HOUR);
    storage.blob(QUARANTINE, 'shop/ev-young-002', 1000);
    expect(await run()).toEqual({ blobsDeleted: 3, recordsPurged: 0, more: false });
    expect(storage.ops).toEqual([`delete ${UPLOADS}/shop/ev-edge-0001`, `delete ${UPLOADS}/shop/ev-old-00001`, `delete ${EVIDENCE}/shop/ev-old-00002`]);
    expect(storage.has(UPLOADS, 'shop/ev-young-001')).toBe(true);
    expect(storage.has(QUARANTINE, 'shop/ev-young-002')).toBe(true);
    // A young blob is not even looked up.
    expect(storage.recordReads.flat()).not.toContain('ev-young-001');
  });

  test('a blob gone by the time it is deleted (a purge got there first) is not counted', async () => {
    const { storage, run } = world();
    storage.blob(UPLOADS, 'shop/ev-race-0001', 2 * HOUR);
    const read = storage.readEvidenceDocs;
    storage.readEvidenceDocs = async (retailerId, ids) => {
      storage.blobs.get(UPLOADS)!.delete('shop/ev-race-0001');
      return read(retailerId, ids);
    };
    expect(await run()).toEqual({ blobsDeleted: 0, recordsPurged: 0, more: false });
  });

  test('a page larger than one batch read is looked up and cleaned 100 at a time', async () => {
    const { storage, run } = world();
    const ids = Array.from({ length: 230 }, (_, i) => `ev-bulk-${String(i).padStart(4, '0')}`);
    for (const id of ids) storage.blob(EVIDENCE, `shop/${id}`, 2 * HOUR);
    expect(await run()).toEqual({ blobsDeleted: 230, recordsPurged: 0, more: false });
    expect(storage.recordReads.map((r) => r.length)).toEqual([100, 100, 30]);
    expect(storage.blobs.get(EVIDENCE)!.size).toBe(0);
  });
});

describe('records whose event is gone', () => {
  test('are purged with their blobs in every container, once per event however many blobs name it', async () => {
    const { storage, run } = world();
    storage.record('ev-gone-0001', 'event-gone', 2 * HOUR);
    storage.record('ev-gone-0002', 'event-gone', 2 * HOUR);
    storage.blob(UPLOADS, 'shop/ev-gone-0001', 2 * HOUR);
    storage.blob(EVIDENCE, 'shop/ev-gone-0001', 2 * HOUR);
    storage.blob(QUARANTINE, 'shop/ev-gone-0002', 2 * HOUR);
    expect(await run()).toEqual({ blobsDeleted: 0, recordsPurged: 2, more: false });
    expect(storage.ops).toEqual(['purge evidence of event-gone']);
    expect(storage.eventReads).toEqual([['event-gone']]);
    expect(storage.records.size).toBe(0);
    expect(CONTAINERS.every((c) => storage.blobs.get(c)!.size === 0)).toBe(true);
  });

  test('an event still there, even one being purged, keeps its evidence: its own purge removes it', async () => {
    const { storage, run } = world();
    storage.event('event-purging', true);
    storage.record('ev-kept-0001', 'event-purging', 2 * HOUR);
    storage.blob(EVIDENCE, 'shop/ev-kept-0001', 2 * HOUR);
    expect(await run()).toEqual({ blobsDeleted: 0, recordsPurged: 0, more: false });
    expect(storage.ops).toEqual([]);
  });

  test('a record younger than minAgeMs is left, even with an old blob and no event (its event may not be visible yet)', async () => {
    const { storage, run } = world();
    storage.record('ev-new-00001', 'event-new', HOUR - 1);
    storage.blob(UPLOADS, 'shop/ev-new-00001', 2 * HOUR);
    storage.record('ev-edge-0001', 'event-edge', HOUR);
    storage.blob(UPLOADS, 'shop/ev-edge-0001', 2 * HOUR);
    expect(await run()).toEqual({ blobsDeleted: 0, recordsPurged: 1, more: false });
    expect(storage.eventReads).toEqual([['event-edge']]);
    expect(storage.has(UPLOADS, 'shop/ev-new-00001')).toBe(true);
    expect(storage.records.has('shop|ev-new-00001')).toBe(true);
  });

  test('events are looked up 100 at a time', async () => {
    const { storage, run } = world();
    for (let i = 0; i < 150; i++) {
      const id = `ev-many-${String(i).padStart(4, '0')}`;
      storage.record(id, `event-${i}`, 2 * HOUR);
      storage.blob(EVIDENCE, `shop/${id}`, 2 * HOUR);
    }
    storage.event('event-7');
    expect(await run()).toEqual({ blobsDeleted: 0, recordsPurged: 149, more: false });
    expect(storage.eventReads.map((r) => r.length)).toEqual([100, 50]);
    expect([...storage.records.values()].map((r) => r.eventId)).toEqual(['event-7']);
  });
});

describe('a bounded page per container per run, resumed', () => {
  test('each run takes the next page of each container from the saved bookmark; `more` holds while some container has not reached its end, and the scan comes round again', async () => {
    const { storage, state, run } = world();
    const uploads = ['a', 'b', 'c', 'd', 'e'].map((x) => `shop/ev-${x}-scan-001`);
    for (const name of uploads) storage.blob(UPLOADS, name, 2 * HOUR);
    storage.event('event-1');
    for (const x of ['a', 'b', 'c']) {
      storage.record(`ev-${x}-keep-001`, 'event-1', 2 * HOUR);
      storage.blob(EVIDENCE, `shop/ev-${x}-keep-001`, 2 * HOUR);
    }

    const first = await run({ maxBlobs: 2 });
    expect(first).toEqual({ blobsDeleted: 2, recordsPurged: 0, more: true });
    expect(storage.listed).toEqual([`${UPLOADS}/${uploads[0]}`, `${UPLOADS}/${uploads[1]}`, `${EVIDENCE}/shop/ev-a-keep-001`, `${EVIDENCE}/shop/ev-b-keep-001`]);
    expect(state.orphanScan[UPLOADS]).toEqual(expect.any(String));
    expect(state.orphanScan[EVIDENCE]).toEqual(expect.any(String));
    expect(state.orphanScan[QUARANTINE]).toBeNull();

    storage.listed = [];
    const second = await run({ maxBlobs: 2 });
    // Evidence ends on this page (one blob left): only uploads has more.
    expect(second).toEqual({ blobsDeleted: 2, recordsPurged: 0, more: true });
    expect(storage.listed).toEqual([`${UPLOADS}/${uploads[2]}`, `${UPLOADS}/${uploads[3]}`, `${EVIDENCE}/shop/ev-c-keep-001`]);
    expect(state.orphanScan[EVIDENCE]).toBeNull();

    storage.listed = [];
    // Uploads ends on a page exactly its size (no marker); evidence, come round, starts again.
    expect(await run({ maxBlobs: 1 })).toEqual({ blobsDeleted: 1, recordsPurged: 0, more: true });
    expect(storage.listed).toEqual([`${UPLOADS}/${uploads[4]}`, `${EVIDENCE}/shop/ev-a-keep-001`]);
    expect(state.orphanScan[UPLOADS]).toBeNull();
    storage.listed = [];
    storage.blob(UPLOADS, 'shop/ev-f-scan-001', 2 * HOUR);
    const fourth = await run({ maxBlobs: 2 });
    expect(fourth).toEqual({ blobsDeleted: 1, recordsPurged: 0, more: false });
    expect(storage.listed).toEqual([`${UPLOADS}/shop/ev-f-scan-001`, `${EVIDENCE}/shop/ev-b-keep-001`, `${EVIDENCE}/shop/ev-c-keep-001`]);
    expect(state.orphanScan).toEqual({ [UPLOADS]: null, [EVIDENCE]: null, [QUARANTINE]: null });

    // Round again from the start of every container.
    storage.listed = [];
    expect(await run({ maxBlobs: 2 })).toEqual({ blobsDeleted: 0, recordsPurged: 0, more: true });
    expect(storage.listed).toEqual([`${EVIDENCE}/shop/ev-a-keep-001`, `${EVIDENCE}/shop/ev-b-keep-001`]);
    expect(storage.blobs.get(UPLOADS)!.size).toBe(0);
  });

  test('a scan over a state saved and read back (as the sweep does between runs) resumes where it stopped', async () => {
    const storage = new Storage();
    const { sweepOrphanEvidence } = orphanEvidenceSweeping(storage);
    for (const x of ['a', 'b', 'c']) storage.blob(QUARANTINE, `shop/ev-${x}-save-001`, 30 * 1000);
    const state = freshState();
    expect(await sweepOrphanEvidence('shop', state, { ...OPTIONS, maxBlobs: 2 })).toEqual({ blobsDeleted: 0, recordsPurged: 0, more: true });
    storage.listed = [];
    const readBack: SweepStateDoc = JSON.parse(JSON.stringify(state));
    expect(await sweepOrphanEvidence('shop', readBack, { ...OPTIONS, maxBlobs: 2 })).toEqual({ blobsDeleted: 0, recordsPurged: 0, more: false });
    expect(storage.listed).toEqual([`${QUARANTINE}/shop/ev-c-save-001`]);
  });
});

describe('what the scan never touches', () => {
  test("another retailer's blobs, records and events, even one whose id starts with this one's", async () => {
    const { storage, run } = world();
    for (const c of CONTAINERS) {
      storage.blob(c, 'shop2/ev-other-001', 5 * HOUR);
      storage.blob(c, 'other/ev-other-002', 5 * HOUR);
      storage.blob(c, 'shopev-other-003', 5 * HOUR);
    }
    storage.record('ev-other-004', 'event-gone', 5 * HOUR, 'shop2');
    storage.blob(EVIDENCE, 'shop2/ev-other-004', 5 * HOUR);
    // This retailer's blob names an id that another retailer's record holds: for this retailer it has none.
    storage.blob(EVIDENCE, 'shop/ev-other-004', 5 * HOUR);
    expect(await run()).toEqual({ blobsDeleted: 1, recordsPurged: 0, more: false });
    expect(storage.ops).toEqual([`delete ${EVIDENCE}/shop/ev-other-004`]);
    expect(storage.listed.every((n) => n.split('/')[1] === 'shop')).toBe(true);
    expect(storage.records.has('shop2|ev-other-004')).toBe(true);
    expect(CONTAINERS.map((c) => storage.blobs.get(c)!.size)).toEqual([3, 4, 3]);
  });

  test('a name that is not an evidence id is never looked up as a record (the read would refuse it): it has none, so it goes as an orphan once old enough', async () => {
    const { storage, run } = world();
    const odd = ['shop/nested/ev-abcd-0001', 'shop/short', 'shop/ev with space', `shop/${'x'.repeat(65)}`, 'shop/ev_underscore'];
    for (const name of odd) storage.blob(UPLOADS, name, 2 * HOUR);
    storage.blob(UPLOADS, 'shop/nested/ev-young-001', 1000);
    storage.event('event-1');
    storage.record('ev-good-0001', 'event-1', 2 * HOUR);
    storage.blob(UPLOADS, 'shop/ev-good-0001', 2 * HOUR);
    expect(await run()).toEqual({ blobsDeleted: odd.length, recordsPurged: 0, more: false });
    expect(storage.recordReads).toEqual([['ev-good-0001']]);
    expect([...storage.blobs.get(UPLOADS)!.keys()].sort()).toEqual(['shop/ev-good-0001', 'shop/nested/ev-young-001']);
  });
});
