import { findSensitiveFields, isSensitiveKey, keyWords, MAX_SCAN_DEPTH } from '../../../shared/domain/screening';

/** Every field name the product itself uses (PRODUCT §2 onwards): none may ever be flagged. */
const PRODUCT_FIELDS = [
  'storeId', 'occurredAt', 'type', 'prevented', 'description', 'products', 'sku', 'name', 'quantity', 'unitValue',
  'currency', 'people', 'ref', 'role', 'profileId', 'given', 'family', 'aliases', 'dateOfBirth', 'ageRange', 'min',
  'max', 'heightCm', 'build', 'phone', 'distinguishingFeatures', 'clothing', 'vehicles', 'plate', 'make', 'model',
  'colour', 'violence', 'threatened', 'used', 'weapon', 'sensitive', 'policeSharing', 'mode', 'excludeAgencies',
  'policeReference', 'fileName', 'contentType', 'size', 'sha256', 'kind', 'decision', 'note', 'body',
  'retentionDays', 'connectTheDots', 'crossRetailer', 'imageMatching', 'lprAlerts', 'minEvents', 'violentOnly',
  'minLossValue', 'reason', 'partnerRetailerId', 'jurisdiction', 'jurisdictions',
  // server fields and other names used across the API
  'id', 'retailerId', 'createdAt', 'createdBy', 'updatedAt', 'legalHold', 'continuationToken', 'pageSize', 'items',
  'etag', 'status', 'orgId', 'stores', 'roles', 'mfa',
];

const SENSITIVE_KEYS = [
  // ethnicity / race / skin tone, whatever the case or separators
  'ethnicity', 'Ethnicity', 'ETHNICITY', 'ethnic', 'ethnic_origin', 'ethnicOrigin', 'EthnicOrigin', 'ethnic-group',
  'race', 'Race', 'RACE', 'races', 'racial', 'racialGroup', 'person_race', 'personRace', 'race_code', 'race2',
  'skinTone', 'skin_tone', 'SKIN-TONE', 'Skin Tone', 'skintone', 'SkinTone', 'skin.tone', 'skinColour', 'skin_color',
  'SkinColor', 'skin colour', 'skinShade', 'complexion', 'ancestry', 'caste', 'tribe', 'iwi', 'iwiAffiliation',
  'hapū', 'hapu',
  // religion
  'religion', 'Religion', 'religiousBelief', 'religious_belief', 'religions', 'faith', 'Faith', 'creed', 'beliefs',
  // political
  'politicalAffiliation', 'political_affiliation', 'politicalOpinion', 'politicalParty', 'political', 'politics',
  'partyAffiliation', 'party_membership', 'votingIntention', 'POLITICAL-VIEWS',
  // sexual orientation / gender identity
  'sexualOrientation', 'sexual_orientation', 'SEXUAL-ORIENTATION', 'sexualorientation', 'Sexual Orientation',
  'sexuality', 'sexualPreference', 'isGay', 'lgbtq', 'genderIdentity', 'gender_identity', 'transgender',
  // health
  'health', 'Health', 'healthNotes', 'health_status', 'mentalHealth', 'mental_health', 'medical', 'medicalCondition',
  'medical_condition', 'healthCondition', 'diagnosis', 'diagnoses', 'illness', 'disease', 'medication', 'HIVStatus',
  'hivStatus', 'isPregnant', 'pregnancy', 'allergies', 'bloodType',
  // disability
  'disability', 'Disability', 'disabilities', 'disabilityStatus', 'has_disability', 'handicap', 'impairment',
  'wheelchairUser',
  // union
  'tradeUnion', 'trade_union', 'TRADE-UNION', 'trade_union_membership', 'unionMember', 'unionMembership',
  'union_membership', 'unionAffiliation', 'unionStatus', 'labourUnion',
  // a sensitive word as one token of a longer key
  'offenderEthnicity', 'offender_ethnicity', 'suspectRace', 'personReligion', 'staffUnionMember',
  'x-religion-code',
  // run-together lower case, caught by unambiguous stems
  'offenderethnicity', 'personreligion', 'suspectsexuality', 'hasdisability', 'staffunionmember',
];

const ORDINARY_KEYS = [
  ...PRODUCT_FIELDS,
  // the letters of a sensitive word inside another word
  'trace', 'traceId', 'trace_id', 'embrace', 'bracelet', 'brace', 'raceway', 'racecar', 'grace', 'tracer', 'terrace',
  'faithful', 'creedence', 'healthy', 'isHealthy', 'unhealthy', 'stealth', 'wealth', 'commonwealth', 'unionType',
  'reunion', 'onion', 'unicorn', 'politeness', 'diagnostics', 'medicine', 'unitPrice',
  // deliberately not sensitive on their own
  'disabled', 'enabled', 'isDisabled', 'condition', 'itemCondition', 'orientation', 'imageOrientation', 'union',
  'party', 'thirdParty', 'third_party', 'partyId', 'sex', 'gender', 'nationality', 'denomination', 'injury',
  'injuries', 'goodFaith', 'good_faith', 'badFaith', 'healthCheck', 'health-check', 'notes', 'comments', 'tags',
  'skin', 'tone', 'toneOfVoice', 'colourway', 'sexOffender', '', '0', '__proto__x',
];

describe('keyWords', () => {
  test.each([
    ['offenderEthnicity', ['offender', 'ethnicity']],
    ['skin_tone', ['skin', 'tone']],
    ['SKIN-TONE', ['skin', 'tone']],
    ['Skin Tone', ['skin', 'tone']],
    ['HIVStatus', ['hiv', 'status']],
    ['race2', ['race', '2']],
    ['sha256', ['sha', '256']],
    ['hapū', ['hapu']],
    ['', []],
  ])('%j → %j', (key, words) => expect(keyWords(key)).toEqual(words));
});

describe('isSensitiveKey', () => {
  test.each(SENSITIVE_KEYS)('%j is sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));
  test.each(ORDINARY_KEYS)('%j is not sensitive', (key) => expect(isSensitiveKey(key)).toBe(false));

  test('`sensitive`, the event flag, is a legitimate field', () => {
    expect(isSensitiveKey('sensitive')).toBe(false);
    expect(findSensitiveFields({ sensitive: true, description: 'x' })).toEqual([]);
  });
});

describe('findSensitiveFields', () => {
  test('a clean, full event body has none', () => {
    const body = {
      storeId: 'akl-042',
      occurredAt: '2026-11-20T14:05:00Z',
      type: 'shoplifting',
      prevented: false,
      description: 'Took razor blades',
      products: [{ sku: '123', name: 'Razor blades 8pk', quantity: 3, unitValue: 24.99 }],
      currency: 'NZD',
      people: [
        {
          ref: 'p1',
          role: 'offender',
          name: { given: 'Jon', family: 'Smith', aliases: ['Smithy'] },
          dateOfBirth: '1990-04-01',
          ageRange: { min: 25, max: 35 },
          heightCm: 180,
          build: 'slim',
          phone: '+64211234567',
          distinguishingFeatures: ['tattoo'],
          clothing: 'grey hoodie, black cap',
        },
      ],
      vehicles: [{ plate: 'ABC 123', make: 'Toyota', model: 'Corolla', colour: 'silver' }],
      violence: { threatened: true, used: false, weapon: 'none' },
      sensitive: false,
      policeSharing: { mode: 'default', excludeAgencies: [] },
      policeReference: 'P123456789',
    };
    expect(findSensitiveFields(body)).toEqual([]);
  });

  test('values are not keys: a sensitive word as a value is not a field', () => {
    expect(findSensitiveFields({ description: 'ethnicity', tags: ['race', 'religion'] })).toEqual([]);
  });

  test('dotted paths at any depth, array indices as numbers, in document order', () => {
    const body = {
      ethnicity: 'x',
      people: [
        { ref: 'p1', name: { given: 'A' } },
        { ref: 'p2', skinTone: 'x', details: { religion: 'x', notes: [{ healthNotes: 'x' }, { ok: 1 }] } },
      ],
      vehicles: [[{ driver: { union_member: true } }]],
    };
    expect(findSensitiveFields(body)).toEqual([
      'ethnicity',
      'people.1.skinTone',
      'people.1.details.religion',
      'people.1.details.notes.0.healthNotes',
      'vehicles.0.0.driver.union_member',
    ]);
  });

  test('a sensitive key holding an object is reported, and so is what it holds', () => {
    expect(findSensitiveFields({ health: { diagnosis: 'x', fine: 1 } })).toEqual(['health', 'health.diagnosis']);
  });

  test('a top-level array', () => {
    expect(findSensitiveFields([{ race: 'x' }, { ok: 1 }])).toEqual(['0.race']);
  });

  test.each([null, undefined, 'ethnicity', 42, true, [], {}])('%p has none', (body) =>
    expect(findSensitiveFields(body)).toEqual([]),
  );

  test('cycles are scanned once and do not loop', () => {
    const a: Record<string, unknown> = { ethnicity: 'x' };
    const b: Record<string, unknown> = { back: a, religion: 'y' };
    a.child = b;
    a.self = a;
    expect(findSensitiveFields(a)).toEqual(['ethnicity', 'child.religion']);
  });

  function nested(levels: number, leaf: Record<string, unknown>): unknown {
    let body: unknown = leaf;
    for (let i = 0; i < levels; i++) body = { a: body };
    return body;
  }

  test(`objects down to depth ${MAX_SCAN_DEPTH} are scanned`, () => {
    const paths = findSensitiveFields(nested(MAX_SCAN_DEPTH, { race: 'x' }));
    expect(paths).toEqual([`${'a.'.repeat(MAX_SCAN_DEPTH)}race`]);
  });

  test(`deeper than ${MAX_SCAN_DEPTH} is not scanned (the schema rejects it)`, () => {
    expect(findSensitiveFields(nested(MAX_SCAN_DEPTH + 1, { race: 'x' }))).toEqual([]);
  });

  test('very deep nesting does not overflow the stack', () => {
    expect(() => findSensitiveFields(nested(100_000, { race: 'x' }))).not.toThrow();
    let arr: unknown = [{ race: 1 }];
    for (let i = 0; i < 100_000; i++) arr = [arr];
    expect(findSensitiveFields(arr)).toEqual([]);
  });

  test('a wide body is fast (CPU time, so a busy machine does not fail it)', () => {
    const body = { people: Array.from({ length: 5000 }, (_, i) => ({ ref: `p${i}`, clothing: 'x', name: { given: 'A' } })) };
    const started = process.cpuUsage();
    expect(findSensitiveFields(body)).toEqual([]);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(500);
  });
});
