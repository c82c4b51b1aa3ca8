import { EMPTY_FACTS, type PersonFacts } from '../../../../shared/domain/matching/facts';
import { blockingKeys } from '../../../../shared/domain/matching/keys';
import {
  factsMatch,
  fieldsOf,
  keysByField,
  nameAgrees,
  parseRequestedName,
  SubjectAccessRequestSchema,
} from '../../../../shared/domain/privacy/subject-access';

const facts = (f: Partial<PersonFacts>): PersonFacts => ({ ...EMPTY_FACTS, ...f });
const held: PersonFacts = facts({
  names: [{ given: 'Jonathan', family: 'Smythe' }, { given: 'Smithy' }],
  dobs: ['1990-04-01'],
  phones: ['+64211234567'],
  plates: ['ABC123'],
});

describe('the request', () => {
  it.each([
    [{ name: 'Jon Smith' }, true],
    [{ dateOfBirth: '1990-04-01' }, true],
    [{ plate: 'abc-123' }, true],
    [{ phone: '+64211234567' }, true],
    [{}, false],
    [{ name: 'Jon', extra: 1 }, false],
    [{ name: 42 }, false],
    [{ dateOfBirth: '01/04/1990' }, false],
    [{ phone: '0211234567' }, false],
    [{ plate: '!!' }, false],
    [{ name: ' ' }, false],
    [{ name: null }, false],
  ])('%j valid: %s', (body, ok) => {
    expect(SubjectAccessRequestSchema.safeParse(body).success).toBe(ok);
  });

  it('names the fields given, never their values', () => {
    expect(fieldsOf({ name: 'Jon Smith', phone: '+64211234567' })).toEqual(['name', 'phone']);
  });

  it.each([
    ['Jon Smith', { given: 'Jon', family: 'Smith' }],
    ['Jon Paul Smith', { given: 'Jon', family: 'Smith' }],
    ['Smith, Jon', { given: 'Jon', family: 'Smith' }],
    ['Smith', { family: 'Smith' }],
    ['Smith,', { family: 'Smith' }],
    ['!!', undefined],
  ])('reads the name %j', (name, expected) => {
    expect(parseRequestedName(name)).toEqual(expected);
  });
});

describe('keysByField: the matcher’s own keys, per field', () => {
  it('a full name gives its name and family keys, which the person holds too', () => {
    const keys = keysByField({ name: 'Jon Smythe' }).name!;
    expect(keys.some((k) => k.startsWith('nm:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('fm:'))).toBe(true);
    const personKeys = blockingKeys(held, { imageMatching: false });
    expect(keys.some((k) => personKeys.includes(k))).toBe(true);
  });
  it('date of birth, phone and plate give exactly the keys the person holds; no OCR variants', () => {
    const k = keysByField({ dateOfBirth: '1990-04-01', phone: '+64211234567', plate: 'abc 123' });
    expect(k).toEqual({ dateOfBirth: ['db:19900401'], phone: ['ph:64211234567'], plate: ['pl:ABC123'] });
    const personKeys = blockingKeys(held, { imageMatching: false });
    for (const key of [...k.dateOfBirth!, ...k.phone!, ...k.plate!]) expect(personKeys).toContain(key);
  });
  it('fields not given have no entry', () => {
    expect(Object.keys(keysByField({ phone: '+64211234567' }))).toEqual(['phone']);
  });
});

describe('nameAgrees: the matcher’s name comparisons', () => {
  it.each([
    ['Jon Smythe', true], // nickname
    ['Jonathan Smyth', true], // sounds alike
    ['Jonathon Smythe', true], // one slip
    ['Smythe, Jonathan', true],
    ['Smythe Jonathan', true], // given and family the other way round
    ['Smythe', true], // family only
    ['Mary Smythe', false],
    ['Jonathan Brown', false],
    ['J Smythe', false], // an initial is not enough
    ['Smithy', true], // sounds like Smythe, as the matcher hears it
    ['Brown', false],
  ])('%s → %s', (name, expected) => {
    expect(nameAgrees(parseRequestedName(name)!, { given: 'Jonathan', family: 'Smythe' })).toBe(expected);
  });
  it('a held name without a given name does not match a request that gives one', () => {
    expect(nameAgrees({ given: 'Jon', family: 'Smythe' }, { family: 'Smythe' })).toBe(false);
  });
});

describe('factsMatch: every field given must agree', () => {
  it.each([
    [{ name: 'Jon Smythe' }, true],
    [{ dateOfBirth: '1990-04-01' }, true],
    [{ phone: '+64 21 123 4567' as string }, true],
    [{ plate: 'abc-123' }, true],
    [{ name: 'Jon Smythe', dateOfBirth: '1990-04-01', phone: '+64211234567', plate: 'ABC123' }, true],
    [{ name: 'Jon Smythe', dateOfBirth: '1991-04-01' }, false],
    [{ dateOfBirth: '1990-04-02' }, false],
    [{ phone: '+64211234568' }, false],
    [{ plate: 'A8C123' }, false], // an OCR confusion is someone else's plate here
    [{ name: 'Mary Jones' }, false],
  ])('%j → %s', (req, expected) => {
    expect(factsMatch(req, held)).toBe(expected);
  });
  it('a field the person has no value for does not agree', () => {
    expect(factsMatch({ name: 'Jon Smythe', dateOfBirth: '1990-04-01' }, facts({ names: held.names }))).toBe(false);
  });
});
