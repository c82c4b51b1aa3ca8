import { modelUseCases, MatchingModelViewSchema, type ModelStore } from '../../../shared/matching/model-use-cases';
import { PRIOR_MODEL, priorMatchShare, type MatchModel } from '../../../shared/domain/matching/model';
import { LEVELS, SIGNALS } from '../../../shared/domain/matching/compare';
import { ForbiddenError } from '../../../shared/domain/errors';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * GET /api/v1/matching/model on its own, over a model in memory: the prior before any estimate,
 * a retailer's own estimate with the weights it implies, the read in the retailer's chain, and
 * the table's refusals. The same against the emulator in test/integration/app/matching-model.test.ts.
 */
class Records implements ModelStore {
  models = new Map<string, MatchModel>();
  people = new Map<string, number>();
  audited: { orgId: string; entry: AuditOf }[] = [];
  table = new TableAuthorizer((org) => (org.startsWith('shop') ? 'retailer' : org === 'police' ? 'agency' : undefined));

  authorize = (caller: Caller) => this.table.check(caller, 'matching-model.read', 'current');
  readModel = (retailerId: string) => Promise.resolve(structuredClone(this.models.get(retailerId) ?? PRIOR_MODEL));
  population = (retailerId: string) => Promise.resolve(this.people.get(retailerId) ?? 0);
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };
}

function world() {
  const records = new Records();
  return { records, getMatchingModel: modelUseCases(records) };
}

const estimated: MatchModel = {
  ...PRIOR_MODEL,
  source: 'estimated',
  estimatedAt: '2026-12-01T03:00:00.000Z',
  people: 4_000,
  matchesPerPerson: 0.8,
  pairs: { candidates: 52_000, random: 20_000, labelled: 31 },
  iterations: 17,
  signals: { ...PRIOR_MODEL.signals, dob: { ...PRIOR_MODEL.signals.dob, exact: { m: 0.6, u: 0.0006 } } },
};

describe('the matching model as an Investigator reads it, over a model in memory', () => {
  it('answers the prior, marked so, before the retailer has an estimate; every signal and level, in the schema', async () => {
    const { getMatchingModel } = world();
    const view = MatchingModelViewSchema.parse(await getMatchingModel(callerAs('shop', 'Investigator')));
    expect(view).toMatchObject({ source: 'prior', estimatedAt: null, currentPeople: 0 });
    expect(view.signals.map((s) => s.signal)).toEqual([...SIGNALS]);
    for (const s of view.signals) expect(s.levels.map((l) => l.level)).toEqual([...(LEVELS[s.signal as (typeof SIGNALS)[number]] as readonly string[])]);
  });

  it("answers the retailer's own estimate: weights are log2(m/u), λ for the people indexed now, value-dependent levels marked", async () => {
    const { records, getMatchingModel } = world();
    records.models.set('shop', estimated);
    records.people.set('shop', 5_000);
    records.models.set('shop-b', PRIOR_MODEL);
    const view = await getMatchingModel(callerAs('shop', 'Investigator'));
    expect(view).toMatchObject({ source: 'estimated', people: 4_000, currentPeople: 5_000, matchesPerPerson: 0.8, iterations: 17, pairs: estimated.pairs });
    expect(view.priorMatchShare).toBeCloseTo(priorMatchShare(estimated, 5_000), 6);
    const dob = view.signals.find((s) => s.signal === 'dob')!.levels.find((l) => l.level === 'exact')!;
    expect(dob).toEqual({ level: 'exact', m: 0.6, u: 0.0006, weight: 9.97, valueDependent: true });
    const physique = view.signals.find((s) => s.signal === 'physique')!.levels[0]!;
    expect(physique.valueDependent).toBe(false);
    // One surname with two given names: u at least the surname's share, so the value counts too.
    expect(view.signals.find((s) => s.signal === 'name')!.levels.find((l) => l.level === 'family-given-differs')!.valueDependent).toBe(true);
    // Another retailer's model is its own.
    expect((await getMatchingModel(callerAs('shop-b', 'Investigator'))).source).toBe('prior');
  });

  it("records the read in the retailer's own chain, with the model's source", async () => {
    const { records, getMatchingModel } = world();
    records.models.set('shop', estimated);
    await getMatchingModel(callerAs('shop', 'Investigator'));
    expect(records.audited).toEqual([{ orgId: 'shop', entry: { action: 'matching-model.read', target: { type: 'matching-model', id: 'current' }, details: { source: 'estimated' } } }]);
  });

  it('asks the one table: a Reporter, an admin and the police are refused, and nothing is read or recorded for them', async () => {
    const { records, getMatchingModel } = world();
    for (const caller of [callerAs('shop', 'Reporter'), callerAs('shop', 'RetailerAdmin'), callerAs('police', 'PoliceOfficer')]) await expect(getMatchingModel(caller)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.audited).toEqual([]);
    expect(records.table.asked).toEqual(['matching-model.read current', 'matching-model.read current', 'matching-model.read current']);
  });
});
