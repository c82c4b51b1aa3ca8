import { AppError, UnprocessableError, ValidationError } from '../../../shared/domain/errors';
import {
  assertNoSensitiveFields,
  assertNoSensitiveText,
  joinPath,
  sensitiveTextErrors,
} from '../../../shared/domain/screening';

function caught(fn: () => void): AppError {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a throw');
}

describe('assertNoSensitiveFields', () => {
  test('passes a clean body', () => {
    expect(() => assertNoSensitiveFields({ storeId: 'a', sensitive: true, people: [{ clothing: 'black cap' }] })).not.toThrow();
  });

  test('400 SENSITIVE_FIELD naming every path', () => {
    const error = caught(() =>
      assertNoSensitiveFields({ people: [{ ref: 'p1', ethnicity: 'x' }, { skin_tone: 'y' }], religion: 'z' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.kind).toBe('validation');
    expect(error.code).toBe('SENSITIVE_FIELD');
    expect(error.message).toContain('people.0.ethnicity');
    expect(error.message).toContain('people.1.skin_tone');
    expect(error.message).toContain('religion');
    expect(error.errors.map((e) => e.path)).toEqual(['people.0.ethnicity', 'people.1.skin_tone', 'religion']);
    for (const e of error.errors) expect(e.message).toEqual(expect.any(String));
  });
});

describe('assertNoSensitiveText', () => {
  test('passes clean text, and no fields at all', () => {
    expect(() =>
      assertNoSensitiveText([
        { path: 'description', text: 'Took razor blades at Christmas, left in a white van' },
        { path: 'people.0.clothing', text: 'black hoodie, white cap' },
      ]),
    ).not.toThrow();
    expect(() => assertNoSensitiveText([])).not.toThrow();
  });

  test('422 SENSITIVE_TEXT naming the terms, one error per offending field', () => {
    const error = caught(() =>
      assertNoSensitiveText([
        { path: 'description', text: 'A black man, diabetic. Another black man.' },
        { path: 'people.0.clothing', text: 'grey hoodie' },
        { path: 'people.0.distinguishingFeatures.1', text: 'Muslim, diabetic' },
      ]),
    );
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(error.kind).toBe('unprocessable');
    expect(error.code).toBe('SENSITIVE_TEXT');
    expect(error.message).toContain('"black man", "diabetic", "muslim"');
    expect(error.message).toMatch(/^Free text describes a person by a sensitive characteristic: /);
    expect(error.errors).toEqual([
      { path: 'description', message: 'Contains sensitive term(s): black man, diabetic' },
      { path: 'people.0.distinguishingFeatures.1', message: 'Contains sensitive term(s): muslim, diabetic' },
    ]);
  });

  test('sensitiveTextErrors returns the errors and distinct terms without throwing', () => {
    expect(sensitiveTextErrors([{ path: 'note', text: 'Tory, tories' }])).toEqual({
      errors: [{ path: 'note', message: 'Contains sensitive term(s): tory' }],
      terms: [{ term: 'tory', category: 'political', phrase: 'Tory' }],
    });
  });
});

test('joinPath joins a zod issue path', () => {
  expect(joinPath(['people', 0, 'clothing'])).toBe('people.0.clothing');
  expect(joinPath([])).toBe('');
});

describe('worn fields (clothing, distinguishing features)', () => {
  // A fifth audit: "muslim headscarf" as a person's clothing was stored, though a description saying they wore it is refused.
  const worn = (text: string) => sensitiveTextErrors([{ path: 'people.0.clothing', text, worn: true }]).terms.map((t) => t.term);

  test.each([
    ['chartreuse poncho, muslim headscarf', 'muslim'],
    ['jewish skullcap and black jacket', 'jewish'],
    ['catholic rosary necklace', 'catholic'],
    ['sikh kara bracelet', 'sikh'],
  ])('%s describes its wearer: refused', (text, term) => {
    expect(worn(text)).toContain(term);
    // The same words as a thing (a product on a shelf) still pass in a description.
    expect(sensitiveTextErrors([{ path: 'description', text }]).terms).toEqual([]);
  });

  test.each([
    // Each item of a list is read as worn (the reviews: only the first clause was).
    ['jeans; muslim headscarf', 'muslim'],
    ['jeans. muslim headscarf', 'muslim'],
    ['hoodie\nmuslim headscarf', 'muslim'],
    ['Tall. Muslim headscarf.', 'muslim'],
    ['hoodie – catholic rosary necklace', 'catholic'],
    ['black puffer jacket, muslim headscarf', 'muslim'],
    ['dark jeans, white sneakers, catholic rosary necklace', 'catholic'],
    ['long black puffer jacket and muslim headscarf', 'muslim'],
    ['grey trackpants with a jewish skullcap', 'jewish'],
    // Read as the screen reads it: a fullwidth semicolon or full stop breaks the list too (review of 17d023a).
    ['jeans；muslim headscarf', 'muslim'],
    ['jeans．muslim headscarf', 'muslim'],
    ['jeans and\u200b muslim headscarf', 'muslim'],
  ])('in a list, %s describes its wearer: refused', (text, term) => expect(worn(text)).toContain(term));

  test.each([
    'black cap',
    'white hoodie, black trackpants',
    'All Blacks jersey',
    'Christian Dior sunglasses',
    'tattoo of a cross on neck',
    'Celtic FC scarf',
    'Indian cricket jersey',
    'black and white checked shirt',
    'navy hoodie with white logo, black cap, grey trackpants',
    'hi-vis vest and steel-capped boots',
    'brown jacket (torn sleeve) / blue jeans',
    'black & gold cap',
  ])(
    '%s passes',
    (text) => expect(worn(text)).toEqual([]),
  );

  test('the phrase named is the field’s own words', () => {
    const { terms } = sensitiveTextErrors([{ path: 'people.0.clothing', text: 'muslim headscarf', worn: true }]);
    expect(terms).toEqual([{ term: 'muslim', category: 'religion', phrase: 'muslim headscarf' }]);
  });
});
