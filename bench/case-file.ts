import { Readable } from 'node:stream';
import { blobServiceClient } from '../shared/adapters/azure-clients';
import { evidenceBlobName } from '../shared/domain/evidence/evidence-rules';
import { processUpload } from '../shared/evidence/evidence-processor';
import { buildCaseFile } from '../shared/case-files/build-case-file';
import { createCaseFile } from '../shared/case-files/case-file-use-cases';
import { readCaseFile } from '../shared/case-files/case-file-repository';
import type { Principal } from '../shared/domain/principal';
import { median, mp4Stream, timed, timedWithPeakRss } from './evidence';
import { row, type Row } from './measure';
import type { BenchContext } from './run';

/** Where the benchmark stages uploads and plain copies: containers no trigger watches. */
const STAGING = 'bench-casefile-uploads';
const COPIES = 'bench-casefile-copies';
const MB = 1_000_000;
const ITEMS = 4;
const ROUNDS = 3;

/**
 * Building a case file over one event with 200 MB of evidence (4 videos of 50 MB; 20 MB with
 * --quick), in this process against the stack's emulators, on a stack whose queue-triggered build
 * is disabled so that only this process builds: the build (visibility, audit entries, summary
 * PDF, and the ZIP streamed from the evidence blobs into its own blob with every file hashed)
 * timed against a plain streamed copy of the same blobs (download → upload) just before and just
 * after, three rounds, medians. Memory: this process's RSS growth while building, sampled every 5 ms.
 */
export async function benchCaseFile(ctx: BenchContext): Promise<Row[]> {
  const total = (ctx.quick ? 20 : 200) * MB;
  const itemSize = total / ITEMS;
  const { api, admin, reporter, org } = await ctx.retailer();
  await api('PUT', '/api/v1/stores/bench-1', admin, { name: 'Bench', jurisdiction: 'NZ-AKL' });
  const event = (await api('POST', '/api/v1/events', reporter, { storeId: 'bench-1', occurredAt: new Date().toISOString(), type: 'shoplifting', prevented: false })) as { id: string };
  const staging = blobServiceClient().getContainerClient(STAGING);
  const copies = blobServiceClient().getContainerClient(COPIES);
  await staging.createIfNotExists();
  await copies.createIfNotExists();
  const names: string[] = [];
  for (let i = 0; i < ITEMS; i += 1) {
    const created = (await api('POST', `/api/v1/events/${event.id}/evidence`, reporter, { fileName: `cam-${i}.mp4`, contentType: 'video/mp4', size: itemSize, kind: 'cctv' })) as { evidenceId: string };
    const name = evidenceBlobName(org, created.evidenceId);
    await staging.getBlockBlobClient(name).uploadStream(mp4Stream(itemSize), 8 * 1024 * 1024, 4);
    const outcome = await processUpload({ retailerId: org, evidenceId: created.evidenceId, container: STAGING });
    if (outcome !== 'ready') throw new Error(`case-file bench: evidence processing ended ${outcome}`);
    names.push(name);
  }
  await staging.deleteIfExists();
  const evidence = blobServiceClient().getContainerClient('evidence');
  // The raw operation a build rests on: each blob read from storage and written to another, streamed.
  const plainCopy = () =>
    timed(async () => {
      for (const name of names) {
        const body = (await evidence.getBlobClient(name).download()).readableStreamBody!;
        await copies.getBlockBlobClient(name).uploadStream(Readable.from(body), 4 * 1024 * 1024, 4);
      }
    });
  const principal: Principal = { sub: 'bench-investigator', orgId: org, roles: ['Investigator'], stores: null, mfa: true };
  const rounds: { buildSeconds: number; copySeconds: number; rssGrowth: number }[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const copyBefore = await plainCopy();
    const caseFile = await createCaseFile({ principal, requestId: `bench-${round}` }, { title: `Bench ${round}`, eventIds: [event.id] });
    let outcome: string | undefined;
    const { seconds: buildSeconds, rssGrowth } = await timedWithPeakRss(async () => {
      outcome = await buildCaseFile({ orgId: org, id: caseFile.id });
    });
    const doc = await readCaseFile(org, caseFile.id);
    if (outcome !== 'built' || doc?.status !== 'ready' || (doc.size ?? 0) < total) throw new Error(`case-file bench: build ended ${outcome} / ${doc?.status} (${doc?.failure})`);
    const copySeconds = (copyBefore + (await plainCopy())) / 2;
    // Azurite keeps blobs in memory: this round's ZIP goes before the next.
    await blobServiceClient().getContainerClient('case-files').getBlobClient(doc.blobName!).deleteIfExists();
    rounds.push({ buildSeconds, copySeconds, rssGrowth });
  }
  await copies.deleteIfExists();
  const mb = total / MB;
  const buildSeconds = median(rounds.map((r) => r.buildSeconds));
  const copySeconds = median(rounds.map((r) => r.copySeconds));
  return [
    row(`case file with ${mb} MB of evidence (MB/s vs plain blob copy, median of ${ROUNDS})`, mb / buildSeconds, 'MB/s', mb / copySeconds, '>= 0.5'),
    row(`case file with ${mb} MB of evidence peak RSS growth`, Math.max(...rounds.map((r) => r.rssGrowth)), 'MiB', null, '<= 64'),
    row(`case file with ${mb} MB of evidence wall time`, buildSeconds, 's', copySeconds),
  ];
}
