import { EMPTY_FACTS, factsOfPerson, mergeFacts, type PersonFacts } from '../../../shared/domain/matching/facts';
import { blockingKeys, keepsNewestHolders } from '../../../shared/domain/matching/keys';
import { readEvents } from '../../../shared/events/event-repository';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import { matchKeyDocId, POPULATION_ID, type MatchKeyDoc } from '../../../shared/matching/matchkey-repository';
import { getSettings } from '../../../shared/orgs/org-repository';
import { docsOf } from './retention';

/**
 * The key index against the profiles, straight from the store: each profile's keys as its events
 * give them now (facts of its person in each live, non-sensitive event, through blockingKeys), the
 * key documents that must list it, and those that list anyone else.
 */
export async function keyIndexProblems(orgId: string): Promise<{ problems: string[]; population: number; indexed: number; profiles: ProfileDoc[] }> {
  const { settings } = await getSettings(orgId);
  const profiles = await docsOf<ProfileDoc>('profiles', orgId);
  const keyDocs = await docsOf<MatchKeyDoc>('matchkeys', orgId);
  const byId = new Map(keyDocs.filter((d) => d.docType === 'matchkey').map((d) => [d.id, d]));
  const holders = new Map<string, Set<string>>();
  const problems: string[] = [];
  for (const p of profiles) {
    const live = (await readEvents(orgId, p.eventIds)).filter((f) => f && !f.purging);
    let facts: PersonFacts = EMPTY_FACTS;
    for (const f of live) if (!f!.event.sensitive) for (const q of f!.event.people.filter((x) => x.profileId === p.id)) facts = mergeFacts(facts, factsOfPerson(f!.event, q));
    const keys = live.length ? blockingKeys(facts, { imageMatching: settings.connectTheDots.imageMatching }) : [];
    const listed = [...(p.match?.keys ?? [])].sort();
    if (listed.join() !== [...keys].sort().join()) problems.push(`profile ${p.id} lists keys [${listed}] where its events give [${[...keys].sort()}]`);
    for (const k of keys) {
      const id = matchKeyDocId(k);
      if (!holders.has(id)) holders.set(id, new Set());
      holders.get(id)!.add(p.id);
      const doc = byId.get(id);
      const window = doc?.saturated && !keepsNewestHolders(id);
      if (!window && !doc?.members.includes(p.id)) problems.push(`profile ${p.id} is not found through its key ${k}`);
    }
  }
  for (const doc of byId.values()) {
    for (const m of doc.members) if (!holders.get(doc.id)?.has(m)) problems.push(`key ${doc.id} lists ${m}, which ${profiles.some((p) => p.id === m) ? 'no longer has it' : 'is gone'}`);
    if (!doc.saturated && doc.count !== doc.members.length) problems.push(`key ${doc.id} counts ${doc.count} holders and lists ${doc.members.length}`);
  }
  const population = keyDocs.find((d) => d.id === POPULATION_ID)?.count ?? 0;
  return { problems, population, indexed: profiles.filter((p) => p.match?.keys.length).length, profiles };
}
