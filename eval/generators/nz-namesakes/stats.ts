// Counts and sanity checks for the nz-namesakes generator.
//   npx tsx eval/generators/nz-namesakes/stats.ts [seeds, default 1,2,3]
// Prints, per regime and seed: people, events, mentions, true (same-person) mention pairs,
// their share of all cross-event mention pairs, pairs of different people sharing a full
// name, and mention pairs of different people whose reported full names are equal.
import { generate, population, REGIMES } from "./generator";

const EVENT_KEYS = new Set([
  "storeId", "occurredAt", "type", "prevented", "description", "products", "currency", "people",
  "vehicles", "violence", "sensitive", "policeSharing", "policeReference",
]);
const PERSON_KEYS = new Set([
  "ref", "role", "profileId", "name", "dateOfBirth", "ageRange", "heightCm", "build", "phone",
  "distinguishingFeatures", "clothing",
]);
const NAME_KEYS = new Set(["given", "family", "aliases"]);
const VEHICLE_KEYS = new Set(["plate", "make", "model", "colour"]);
const PRODUCT_KEYS = new Set(["sku", "name", "quantity", "unitValue"]);
// words we never want in free text (a local stand-in, not the product's lexicon)
const AVOID = /\b(ethnic\w*|race|racial|skin|religio\w*|muslim|christian|jewish|hindu|gay|lesbian|trans\w*|mental|drunk|intoxicated|drugs?|sick|disabled|union|politic\w*|maori|asian|european|pacific|islander|indian|chinese|black|white|brown)\b/i;

const seeds = (process.argv[2] ?? "1,2,3").split(",").map(Number);
const START = "2025-01-01T00:00:00Z";
const END = "2026-10-31T23:59:59Z";

function fail(msg: string): never {
  throw new Error(msg);
}

function checkKeys(obj: Record<string, unknown>, allowed: Set<string>, where: string): void {
  for (const k of Object.keys(obj)) if (!allowed.has(k)) fail(`${where}: unexpected field ${k}`);
}

const pairs = (n: number): number => (n * (n - 1)) / 2;
const norm = (s: unknown): string => (typeof s === "string" ? s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase() : "");

for (const regime of REGIMES) {
  for (const seed of seeds) {
    const t0 = Date.now();
    const { events, truth } = generate(regime, seed);
    const ms = Date.now() - t0;
    const again = generate(regime, seed);
    if (JSON.stringify(again) !== JSON.stringify({ events, truth })) fail(`${regime}/${seed}: not deterministic`);

    const ids = new Set<string>();
    let prev = "";
    let withDob = 0, withPhone = 0, withName = 0, mentions = 0;
    const truthKey = new Map<string, string>();
    for (const t of truth) truthKey.set(`${t.eventId}/${t.ref}`, t.personId);
    const reported: { person: string; full: string }[] = [];
    for (const e of events) {
      if (ids.has(e.id)) fail(`duplicate id ${e.id}`);
      ids.add(e.id);
      const b = e.body;
      checkKeys(b, EVENT_KEYS, e.id);
      const at = b.occurredAt as string;
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(at) || at < START || at > END) fail(`${e.id}: occurredAt ${at}`);
      if (at < prev) fail(`${e.id}: not sorted`);
      prev = at;
      const desc = b.description as string;
      if (desc.length > 2000 || AVOID.test(desc)) fail(`${e.id}: description ${desc}`);
      if (b.products) {
        if (b.currency !== "NZD") fail(`${e.id}: currency`);
        for (const p of b.products as Record<string, unknown>[]) checkKeys(p, PRODUCT_KEYS, `${e.id} product`);
      }
      for (const v of (b.vehicles ?? []) as Record<string, unknown>[]) checkKeys(v, VEHICLE_KEYS, `${e.id} vehicle`);
      const refs = new Set<string>();
      const people = b.people as Record<string, unknown>[];
      const personIds = new Set<string>();
      for (const p of people) {
        mentions++;
        checkKeys(p, PERSON_KEYS, `${e.id} person`);
        if ("profileId" in p) fail(`${e.id}: profileId set`);
        const ref = p.ref as string;
        if (refs.has(ref)) fail(`${e.id}: duplicate ref`);
        refs.add(ref);
        const pid = truthKey.get(`${e.id}/${ref}`) ?? fail(`${e.id}/${ref}: no truth row`);
        if (personIds.has(pid)) fail(`${e.id}: same person twice`);
        personIds.add(pid);
        if (p.name) {
          checkKeys(p.name as Record<string, unknown>, NAME_KEYS, `${e.id} name`);
          withName++;
          const n = p.name as { given?: string; family?: string };
          if (n.given && n.family) reported.push({ person: pid, full: `${norm(n.given)}|${norm(n.family)}` });
        }
        if (p.dateOfBirth) {
          withDob++;
          if (!/^\d{4}-\d{2}-\d{2}$/.test(p.dateOfBirth as string)) fail(`${e.id}: dob`);
        }
        if (p.phone) {
          withPhone++;
          if (!/^\+[1-9]\d{7,14}$/.test(p.phone as string)) fail(`${e.id}: phone ${p.phone}`);
        }
        for (const f of (p.distinguishingFeatures ?? []) as string[]) if (AVOID.test(f)) fail(`${e.id}: feature ${f}`);
        if (p.clothing && AVOID.test(p.clothing as string)) fail(`${e.id}: clothing ${p.clothing}`);
      }
    }
    if (truth.length !== mentions) fail(`${regime}/${seed}: truth rows ${truth.length} != mentions ${mentions}`);

    // people and their canonical names: recover from the generator's own truth + a second look
    const byPerson = new Map<string, number>();
    for (const t of truth) byPerson.set(t.personId, (byPerson.get(t.personId) ?? 0) + 1);
    let truePairs = 0;
    for (const n of byPerson.values()) truePairs += pairs(n);
    let sameEvent = 0;
    for (const e of events) sameEvent += pairs((e.body.people as unknown[]).length);
    const crossPairs = pairs(mentions) - sameEvent;

    // pairs of different people who share a canonical full name (and a family name)
    const pop = population(regime, seed);
    if (pop.length !== byPerson.size) fail(`${regime}/${seed}: ${pop.length} people, ${byPerson.size} seen`);
    const fullCount = new Map<string, number>();
    const famCount = new Map<string, number>();
    const fullDobCount = new Map<string, number>();
    for (const p of pop) {
      const full = `${norm(p.given)}|${norm(p.family)}`;
      fullCount.set(full, (fullCount.get(full) ?? 0) + 1);
      famCount.set(norm(p.family), (famCount.get(norm(p.family)) ?? 0) + 1);
      fullDobCount.set(full + p.dateOfBirth, (fullDobCount.get(full + p.dateOfBirth) ?? 0) + 1);
    }
    let namesakePeople = 0, familyPeople = 0, sameNameDob = 0;
    for (const c of fullCount.values()) namesakePeople += pairs(c);
    for (const c of famCount.values()) familyPeople += pairs(c);
    for (const c of fullDobCount.values()) sameNameDob += pairs(c);

    // mention pairs (different events) with identical reported full names
    const byFull = new Map<string, string[]>();
    for (const r of reported) byFull.set(r.full, [...(byFull.get(r.full) ?? []), r.person]);
    let sameNameSame = 0, sameNameDiff = 0;
    for (const list of byFull.values()) {
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
        if (list[i] === list[j]) sameNameSame++;
        else sameNameDiff++;
      }
    }
    const repeaters = [...byPerson.values()].filter((n) => n > 1).length;
    console.log(
      [
        regime.padEnd(20), `seed ${seed}`,
        `people ${byPerson.size}`, `repeaters ${repeaters}`, `events ${events.length}`, `mentions ${mentions}`,
        `truePairs ${truePairs}`, `share ${(truePairs / crossPairs * 100).toFixed(3)}%`,
        `namesakePairs ${namesakePeople}`, `sameFamilyPairs ${familyPeople}`, `sameName+DOB ${sameNameDob}`,
        `sameReportedName: same ${sameNameSame} / diff ${sameNameDiff}`,
        `name ${(withName / mentions * 100).toFixed(0)}%`, `dob ${(withDob / mentions * 100).toFixed(0)}%`,
        `phone ${(withPhone / mentions * 100).toFixed(0)}%`, `${ms}ms`,
      ].join("  "),
    );
  }
}
