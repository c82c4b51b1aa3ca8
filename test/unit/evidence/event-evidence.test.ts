import { eventEvidence, type EventEvidenceStore } from '../../../shared/evidence/event-evidence';
import type { EvidenceDoc } from '../../../shared/evidence/evidence-repository';
import type { AuditDraft } from '../../../shared/domain/audit-chain';
import type { EvidenceStatus } from '../../../shared/domain/evidence/evidence-schema';

/**
 * An event's evidence, over records and blobs in memory: what GET shows of it, and the purge's
 * order for each item (custody entry, blobs in every container, record last) that lets a purge
 * which died part-way finish on its next run. Against the emulator and Azurite in
 * test/integration/app/retention.test.ts and evidence.test.ts.
 */
class Records implements EventEvidenceStore {
  docs: EvidenceDoc[] = [];
  /** "container/name" of every blob held. */
  blobs = new Set<string>();
  chain: { retailerId: string; draft: AuditDraft }[] = [];
  /** Every write, in order. */
  steps: string[] = [];
  /** A blob whose delete is refused (in Azure: still inside its immutability period). */
  locked?: string;

  evidenceOfEvent = async (retailerId: string, eventId: string) =>
    structuredClone(this.docs.filter((d) => d.orgId === retailerId && d.eventId === eventId).sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  appendAudit = async (retailerId: string, draft: AuditDraft) => {
    this.chain.push({ retailerId, draft });
    this.steps.push(`audit ${draft.target.id}`);
  };
  deleteBlob = async (container: string, name: string) => {
    if (this.locked === `${container}/${name}`) throw Object.assign(new Error('This operation is not permitted as the blob is immutable.'), { statusCode: 409 });
    this.steps.push(`blob ${container}/${name}`);
    return this.blobs.delete(`${container}/${name}`);
  };
  deleteEvidenceDoc = async (retailerId: string, id: string) => {
    this.docs = this.docs.filter((d) => !(d.orgId === retailerId && d.id === id));
    this.steps.push(`record ${id}`);
  };

  /** An evidence record of an event, its blob in the container its status puts it in. */
  add(retailerId: string, eventId: string, id: string, status: EvidenceStatus, createdAt: string): void {
    const sha256 = status === 'ready' ? 'ab'.repeat(32) : null;
    this.docs.push({
      id,
      orgId: retailerId,
      docType: 'evidence',
      eventId,
      kind: 'image',
      fileName: `${id}.jpg`,
      declared: { contentType: 'image/jpeg', size: 1000, sha256: null },
      status,
      reason: status === 'rejected' ? 'unknown-type' : null,
      sha256,
      size: status === 'ready' ? 1000 : null,
      mediaType: status === 'ready' ? 'image/jpeg' : null,
      image: null,
      createdAt,
      createdBy: 'reporter',
      uploadExpiresAt: createdAt,
      processedAt: null,
      uploadEtag: null,
      custodyLogged: status !== 'pending',
    });
    this.blobs.add(`${{ pending: 'evidence-uploads', ready: 'evidence', rejected: 'evidence-quarantine' }[status]}/${retailerId}/${id}`);
  }
}

function world() {
  const records = new Records();
  records.add('shop', 'event-1', 'ev-late', 'rejected', '2026-11-02T12:02:00.000Z');
  records.add('shop', 'event-1', 'ev-early', 'ready', '2026-11-02T12:00:00.000Z');
  records.add('shop', 'event-2', 'ev-other-event', 'ready', '2026-11-02T12:00:00.000Z');
  records.add('other', 'event-1', 'ev-other-shop', 'pending', '2026-11-02T12:00:00.000Z');
  return { records, ...eventEvidence(records) };
}

describe('an event’s evidence, over records in memory', () => {
  it('GET shows the event’s own items, oldest first, as summaries without file names or custody fields', async () => {
    const { evidenceSummaries } = world();
    const shown = await evidenceSummaries('shop', 'event-1');
    expect(shown.map((s) => s.id)).toEqual(['ev-early', 'ev-late']);
    expect(shown[0]).toEqual({ id: 'ev-early', kind: 'image', status: 'ready', mediaType: 'image/jpeg', size: 1000, sha256: 'ab'.repeat(32), createdAt: '2026-11-02T12:00:00.000Z' });
    expect(await evidenceSummaries('shop', 'event-none')).toEqual([]);
  });

  it('a purge takes each item in turn: its custody entry, its blob in every container, then its record; other events’ and retailers’ stay', async () => {
    const { records, purgeEvidenceOfEvent } = world();
    expect(await purgeEvidenceOfEvent('shop', 'event-1')).toBe(2);
    const blobsOf = (id: string) => ['evidence-uploads', 'evidence-quarantine', 'evidence'].map((c) => `blob ${c}/shop/${id}`);
    expect(records.steps).toEqual(['audit ev-early', ...blobsOf('ev-early'), 'record ev-early', 'audit ev-late', ...blobsOf('ev-late'), 'record ev-late']);
    expect(records.docs.map((d) => d.id)).toEqual(['ev-other-event', 'ev-other-shop']);
    expect([...records.blobs]).toEqual(['evidence/shop/ev-other-event', 'evidence-uploads/other/ev-other-shop']);
  });

  it('each custody entry is the purge’s own, in the retailer’s chain, with the event, the status and the hash of what went', async () => {
    const { records, purgeEvidenceOfEvent } = world();
    await purgeEvidenceOfEvent('shop', 'event-1');
    expect(records.chain).toEqual([
      {
        retailerId: 'shop',
        draft: {
          actor: { sub: 'system:purge', org: null, roles: [] },
          action: 'evidence.purge',
          target: { type: 'evidence', id: 'ev-early' },
          outcome: 'success',
          requestId: 'purge:event-1',
          details: { eventId: 'event-1', status: 'ready', sha256: 'ab'.repeat(32) },
        },
      },
      expect.objectContaining({ draft: expect.objectContaining({ target: { type: 'evidence', id: 'ev-late' }, details: { eventId: 'event-1', status: 'rejected', sha256: null } }) }),
    ]);
  });

  it('a blob that refuses its delete stops the purge with its record still there, and the next run finishes it', async () => {
    const { records, purgeEvidenceOfEvent } = world();
    records.locked = 'evidence/shop/ev-early';
    await expect(purgeEvidenceOfEvent('shop', 'event-1')).rejects.toThrow('immutable');
    expect(records.docs.map((d) => d.id)).toContain('ev-early');
    expect(records.docs.map((d) => d.id)).toContain('ev-late');
    records.locked = undefined;
    expect(await purgeEvidenceOfEvent('shop', 'event-1')).toBe(2);
    expect(records.docs.filter((d) => d.eventId === 'event-1' && d.orgId === 'shop')).toEqual([]);
    // The interrupted item is entered again by the run that finishes it: custody records each attempt.
    expect(records.chain.map((c) => c.draft.target.id)).toEqual(['ev-early', 'ev-early', 'ev-late']);
  });

  it('an event without evidence purges nothing and enters nothing', async () => {
    const { records, purgeEvidenceOfEvent } = world();
    expect(await purgeEvidenceOfEvent('shop', 'event-none')).toBe(0);
    expect(records.steps).toEqual([]);
  });
});
