import { EMPTY_FACTS, factsOfPerson, mergeFacts, FACTS_LIST_CAP, type EventLike, type PersonFacts } from '../../../shared/domain/matching/facts';
import { blockingKeys, candidateHolders, familyKey, keepsNewestHolders, keyKind, MAX_KEYS, MAX_KEY_MEMBERS, ocrCanonical } from '../../../shared/domain/matching/keys';
import { canonicalGivens } from '../../../shared/domain/matching/names';
import nicknames from '../../../shared/domain/matching/nicknames.json';

const event = (over: Partial<EventLike> = {}): EventLike => ({
  id: 'ev-1',
  storeId: 'akl-042',
  occurredAt: '2026-01-10T10:00:00Z',
  type: 'shoplifting',
  ...over,
});
const facts = (name?: { given?: string; family?: string; aliases?: string[] }, more: Record<string, unknown> = {}, ev: Partial<EventLike> = {}) =>
  factsOfPerson(event(ev), { name, ...more });
const keysOf = (f: PersonFacts, imageMatching = false) => blockingKeys(f, { imageMatching });
const shared = (a: PersonFacts, b: PersonFacts) => {
  const kb = new Set(keysOf(b));
  return keysOf(a).filter((k) => kb.has(k));
};

describe('facts', () => {
  it('takes names, aliases, identifiers, vehicles and context from an event', () => {
    const f = factsOfPerson(
      event({
        vehicles: [{ plate: 'abc-123' }],
        products: [{ sku: '123', name: 'Razor blades' }, { name: 'Steak 1kg' }],
      }),
      {
        name: { given: 'Jon', family: 'Smith', aliases: ['Smithy', 'Bobby', 'Jones, Robert', 'Robert James Jones'] },
        dateOfBirth: '1990-04-01',
        phone: '+64211234567',
        distinguishingFeatures: ['snake tattoo on left forearm'],
      },
      ['ABCDEF0123456789', 'not-a-hash'],
    );
    expect(f.names).toEqual([
      { given: 'Jon', family: 'Smith' },
      { given: 'Smithy' }, // a moniker made of the surname stands alone
      { given: 'Bobby', family: 'Smith' }, // a known nickname takes the reported family name
      { given: 'Robert', family: 'Jones' }, // "Jones, Robert" and "Robert James Jones" are one name
    ]);
    expect(f).toMatchObject({
      dobs: ['1990-04-01'],
      phones: ['+64211234567'],
      plates: ['ABC123'],
      stores: ['akl-042'],
      types: ['shoplifting'],
      skus: ['123', 'n:steakkg'],
      times: ['2026-01-10T10:00:00Z'],
      imageHashes: ['abcdef0123456789'],
      eventIds: ['ev-1'],
    });
  });

  it('a person without details has empty facts apart from the event context', () => {
    const f = factsOfPerson(event(), {});
    expect(f.names).toEqual([]);
    expect(f.dobs).toEqual([]);
    expect(keysOf(f)).toEqual([]);
  });

  it('merging dedupes (names case-insensitively), caps each list and keeps the most recent times', () => {
    let f: PersonFacts = EMPTY_FACTS;
    for (let i = 0; i < 30; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      f = mergeFacts(
        f,
        facts({ given: i % 2 ? 'JOHN' : 'John', family: 'Smith' }, { phone: `+6421000${String(i).padStart(4, '0')}` }, {
          id: `ev-${i}`,
          occurredAt: `2026-${i < 28 ? '01' : '02'}-${day}T10:00:00Z`,
        }),
      );
    }
    expect(f.names).toHaveLength(1);
    expect(f.phones).toHaveLength(FACTS_LIST_CAP);
    expect(f.phones.at(-1)).toBe('+64210000029');
    expect(f.times).toHaveLength(FACTS_LIST_CAP);
    expect(f.times[0]).toBe('2026-02-02T10:00:00Z');
    expect(f.eventIds).toHaveLength(30);
    expect(mergeFacts(EMPTY_FACTS, EMPTY_FACTS)).toEqual({ ...EMPTY_FACTS });
  });
});

describe('blocking keys', () => {
  it('given and family swapped share the full-name key', () => {
    const a = facts({ given: 'John', family: 'Smith' });
    const b = facts({ given: 'Smith', family: 'John' });
    expect(shared(a, b).filter((k) => keyKind(k) === 'name')).not.toHaveLength(0);
  });

  it.each([
    ['Bob', 'Robert'],
    ['Robbie', 'Rob'],
    ['Jon', 'John'],
    ['Johnny', 'John'],
    ['Bill', 'William'],
    ['Liam', 'Will'],
    ['Liz', 'Elizabeth'],
    ['Beth', 'Elizabeth'],
    ['Kate', 'Katherine'],
    ['Katie', 'Catherine'],
    ['Mike', 'Michael'],
    ['Dave', 'David'],
    ['Jimmy', 'James'],
    ['Tom', 'Thomas'],
  ])('nicknames: %s and %s share a full-name key, both ways', (x, y) => {
    const a = facts({ given: x, family: 'Kowalczyk' });
    const b = facts({ given: y, family: 'Kowalczyk' });
    expect(shared(a, b).filter((k) => keyKind(k) === 'name')).not.toHaveLength(0);
    expect(shared(b, a).filter((k) => keyKind(k) === 'name')).not.toHaveLength(0);
  });

  it('the nickname table is data with at least 150 entries', () => {
    const entries = Object.values(nicknames.groups as Record<string, string[]>).reduce((n, l) => n + l.length, 0);
    expect(entries).toBeGreaterThanOrEqual(150);
    expect(canonicalGivens('jon')).toEqual(expect.arrayContaining(['john', 'jonathan']));
    expect(canonicalGivens('zebedee')).toEqual(['zebedee']);
  });

  it.each([
    ['Smith', 'Smyth'],
    ['Smith', 'Smiht'],
    ['Kowalczyk', 'Kowalcyzk'],
    ['Thompson', 'Thomson'],
    ['Fitzgerald', 'Fitzgerlad'],
    ['Rowe', 'Rowwe'],
  ])('a slip in the family name (%s / %s) still shares a key', (x, y) => {
    expect(shared(facts({ given: 'Anna', family: x }), facts({ given: 'Anna', family: y }))).not.toHaveLength(0);
  });

  it('Smith and Smyth have one family key (the term-frequency key)', () => {
    expect(familyKey('Smith')).toBe('fm:SM0');
    expect(familyKey('Smyth')).toBe('fm:SM0');
    expect(familyKey("O'Connor")).toBe(familyKey('OConnor'));
    expect(familyKey('Lee')).not.toBe(familyKey('Wu'));
  });

  it('DOB, phone, plate, OCR plate, features and name-year keys', () => {
    const f = facts(
      { given: 'Anna', family: 'Kowalczyk' },
      { dateOfBirth: '1990-04-01', phone: '+64211234567', distinguishingFeatures: ['Tattoo of a snake on the left forearm', 'black cap'] },
      { vehicles: [{ plate: 'ABC 123' }] },
    );
    const keys = keysOf(f);
    expect(keys).toEqual(
      expect.arrayContaining(['db:19900401', 'ph:64211234567', 'pl:ABC123', 'po:A8C123', 'ft:snake', 'ft:forearm', 'ny:KLSK:1990']),
    );
    const kinds = new Set(keys.map(keyKind));
    for (const k of ['name', 'family', 'name-year', 'name-part', 'dob', 'phone', 'plate', 'plate-ocr', 'feature']) expect(kinds).toContain(k);
    // Stop words, colours, sides and generic words make no keys.
    for (const w of ['of', 'left', 'black', 'cap', 'tattoo', 'the']) expect(keys).not.toContain(`ft:${w}`);
  });

  it('image hash bands only when the retailer opted in', () => {
    const f = factsOfPerson(event(), { name: { family: 'Kowalczyk' } }, ['0123456789abcdef']);
    expect(keysOf(f, false).filter((k) => keyKind(k) === 'image')).toEqual([]);
    expect(keysOf(f, true).filter((k) => keyKind(k) === 'image')).toEqual(['im:0:0123', 'im:1:4567', 'im:2:89ab', 'im:3:cdef']);
  });

  it.each([
    ['ABC123', 'A8CIZ3'],
    ['SOB123', '508I23'],
    ['GDQ100', '600IOO'],
  ])('OCR canonical form: %s and %s read the same', (a, b) => {
    expect(ocrCanonical(a)).toBe(ocrCanonical(b));
  });
  it('OCR canonical form keeps unconfusable characters apart', () => {
    expect(ocrCanonical('ABC123')).not.toBe(ocrCanonical('ABC124'));
    expect(shared(facts(undefined, {}, { vehicles: [{ plate: 'ABC 123' }] }), facts(undefined, {}, { vehicles: [{ plate: 'A8C-I23' }] }))).toEqual([
      'po:A8C123',
    ]);
  });

  it('keys are safe Cosmos ids, few and deterministic, whatever the input', () => {
    const wild = factsOfPerson(
      event({ vehicles: Array.from({ length: 10 }, (_, i) => ({ plate: `XYZ 12${i}` })) }),
      {
        name: {
          given: 'Zoë-Ånne 🙂',
          family: "D'Arcy–Ó Súilleabháin/../#?",
          aliases: Array.from({ length: 10 }, (_, i) => `Alias${'x'.repeat(i)} Name${i} The Third`),
        },
        dateOfBirth: '1990-04-01',
        phone: '+64211234567',
        distinguishingFeatures: Array.from({ length: 20 }, (_, i) => `tattoo ${'word'.repeat(50)}${i} / é ü`),
      },
      Array.from({ length: 5 }, (_, i) => `${i}`.repeat(16)),
    );
    const keys = keysOf(wild, true);
    expect(keys.length).toBeLessThanOrEqual(MAX_KEYS);
    expect(MAX_KEYS).toBeLessThanOrEqual(30);
    for (const k of keys) {
      expect(k).toMatch(/^[A-Za-z0-9:_-]{1,200}$/);
      expect(keyKind(k)).not.toBe('unknown');
    }
    expect(new Set(keys).size).toBe(keys.length);
    expect(keysOf(wild, true)).toEqual(keys);
    expect(MAX_KEY_MEMBERS).toBeGreaterThan(0);
  });

  it('a common given name alone makes no key (it would saturate at once)', () => {
    expect(keysOf(facts({ given: 'John' }))).toEqual([]);
  });

  it('a saturated key of an identifying kind finds candidates among its newest holders; a surname or feature none', () => {
    const holders = Array.from({ length: MAX_KEY_MEMBERS + 3 }, (_, i) => i);
    for (const k of ['nm:SM0:JOHN', 'ny:SM0:1990', 'db:19900101', 'ph:6421555', 'pl:ABC123']) expect(candidateHolders(k, holders)).toEqual(holders.slice(3));
    for (const k of ['fm:SM0', 'np:JOHN', 'ft:dragon', 'po:A8C123', 'im:abc']) expect(candidateHolders(k, holders)).toEqual([]);
    expect(candidateHolders('fm:SM0', holders.slice(0, MAX_KEY_MEMBERS))).toHaveLength(MAX_KEY_MEMBERS);
    expect(keepsNewestHolders('nm:0123abcd')).toBe(true);
    expect(keepsNewestHolders('population')).toBe(false);
  });
});
