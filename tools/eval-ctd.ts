/**
 * `npm run eval:ctd:api [-- --regime NAME --seed N]`: the quality of Connect the Dots end to end,
 * through the service. Starts the local stack on free ports, generates one evaluation regime
 * (eval/datasets.ts), reports it through the API, lets the queue-driven matcher run, reads the
 * link suggestions back, and prints pairwise precision, recall and F1 of the suggestion graph
 * (connected components, as if every suggestion were accepted) beside an exact-name baseline.
 * `npm run eval:ctd` measures every regime in process (the same pure code, faster).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { QueueServiceClient } from '@azure/storage-queue';
import { clustersFromLinks, exactNameBaseline, mentionsOf, pairwiseMetrics } from '../eval/evaluate';
import { REGIMES } from '../eval/datasets';
import { MATCH_QUEUE, REMATCH_QUEUE } from '../shared/matching/match-queue-name';
import { MODEL_QUEUE } from '../shared/matching/model-estimation';
import { localStackToken } from './dev-issuer/dev-issuer';
import { loadLocalSettings } from './local/local-settings';
import { startStackProcess } from './local/stack-process';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '7' }, regime: { type: 'string', default: 'daybreak-150' } },
});

async function main(): Promise<void> {
  const stack = await startStackProcess();
  try {
    Object.assign(process.env, stack.env);
    loadLocalSettings(path.resolve(__dirname, '..'));
    const token = (roles: string[], org?: string) => localStackToken({ org, roles, mfa: true });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a script reading JSON it just wrote
    const api = async (method: string, url: string, bearer: string, body?: unknown): Promise<any> => {
      const res = await fetch(`${stack.baseUrl}${url}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };

    const regime = REGIMES.find((r) => r.name === values.regime);
    if (!regime) throw new Error(`No regime ${values.regime}: ${REGIMES.map((r) => r.name).join(', ')}`);
    const ds = regime.make(Number(values.seed));
    const org = 'eval-retailer';
    await api('POST', '/api/v1/orgs', await token(['PlatformAdmin']), { id: org, type: 'retailer', name: 'Evaluation' });
    const admin = await token(['RetailerAdmin'], org);
    const investigator = await token(['Investigator'], org);
    for (const storeId of new Set(ds.events.map((e) => String(e.body.storeId)))) {
      await api('PUT', `/api/v1/stores/${storeId}`, admin, { name: storeId, jurisdiction: 'NZ-AKL' });
    }
    process.stderr.write(`reporting ${ds.events.length} events with ${ds.truth.length} people (${new Set(ds.truth.map((t) => t.personId)).size} identities)…\n`);
    const profileOf = new Map<string, string>();
    // In time order, one at a time, as a retailer's staff would report them.
    for (const e of ds.events) {
      const stored = await api('POST', '/api/v1/events', investigator, e.body);
      for (const p of stored.people as { ref: string; profileId: string }[]) profileOf.set(`${e.id}/${p.ref}`, p.profileId);
    }
    await drained(stack.env.AzureWebJobsStorage!);
    const links: { subject: { profileId: string }; candidate: { profileId: string } }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: typeof links; continuationToken: string | null } = await api('GET', `/api/v1/links?status=pending&pageSize=100${cursor ? `&continuationToken=${cursor}` : ''}`, investigator);
      links.push(...page.items);
      cursor = page.continuationToken;
    } while (cursor);

    const mentions = mentionsOf(ds);
    // Mentions of one profile are one node; suggestions join profiles.
    const ids = mentions.map((m) => m.id);
    const byProfile = new Map<string, string>();
    const edges: [string, string][] = [];
    for (const m of mentions) {
      const p = profileOf.get(m.id)!;
      if (byProfile.has(p)) edges.push([m.id, byProfile.get(p)!]);
      else byProfile.set(p, m.id);
    }
    for (const l of links) {
      const a = byProfile.get(l.subject.profileId);
      const b = byProfile.get(l.candidate.profileId);
      if (a && b) edges.push([a, b]);
    }
    const ours = pairwiseMetrics(mentions, clustersFromLinks(ids, edges));
    const baseline = pairwiseMetrics(mentions, exactNameBaseline(mentions));
    const fmt = (m: typeof ours) => ({ precision: m.precision.toFixed(3), recall: m.recall.toFixed(3), f1: m.f1.toFixed(3), truePairs: m.truePairs, predictedPairs: m.predictedPairs });
    console.log(`Connect the Dots evaluation through the API: ${regime.name}, seed ${values.seed}, ${mentions.length} mentions, ${links.length} suggestions`);
    console.table({ 'suggestion graph': fmt(ours), 'exact-name baseline': fmt(baseline) });
    if (ours.precision < 0.9 || ours.f1 < 0.9) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

/**
 * Waits until the matcher's queues have been empty together for a few seconds: new events matched,
 * the model re-estimated and the re-matches it asked for done (each can put work on the others).
 */
async function drained(connection: string): Promise<void> {
  const service = QueueServiceClient.fromConnectionString(connection);
  const queues = [MATCH_QUEUE, MODEL_QUEUE, REMATCH_QUEUE].map((name) => service.getQueueClient(name));
  let quiet = 0;
  while (quiet < 3) {
    await new Promise((r) => setTimeout(r, 1000));
    const counts = await Promise.all(queues.map(async (q) => ((await q.exists()) ? (await q.getProperties()).approximateMessagesCount ?? 0 : 0)));
    quiet = counts.some((n) => n > 0) ? 0 : quiet + 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
