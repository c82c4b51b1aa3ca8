import { CreateOrgSchema, JurisdictionSchema, PutStoreSchema, StoreIdSchema } from '../../../shared/domain/organisation';

describe('organisation schemas', () => {
  it('an agency needs jurisdictions; a retailer does not', () => {
    expect(CreateOrgSchema.safeParse({ id: 'nz-police', type: 'agency', name: 'NZ Police' }).success).toBe(false);
    expect(
      CreateOrgSchema.safeParse({ id: 'nz-police', type: 'agency', name: 'NZ Police', jurisdictions: ['NZ-AKL'] }).success,
    ).toBe(true);
    expect(CreateOrgSchema.safeParse({ id: 'acme', type: 'retailer', name: 'Acme' }).success).toBe(true);
  });
  it.each(['A', 'Acme', 'a', '-acme', 'acme/1', 'acme 1', 'x'.repeat(64)])('refuses org id %s', (id) => {
    expect(CreateOrgSchema.safeParse({ id, type: 'retailer', name: 'Acme' }).success).toBe(false);
  });
  it('refuses the id "platform", which names the platform\'s operators, for either type (third audit of December)', () => {
    expect(CreateOrgSchema.safeParse({ id: 'platform', type: 'retailer', name: 'x' }).error?.issues.map((i) => i.path)).toEqual([['id']]);
    expect(CreateOrgSchema.safeParse({ id: 'platform', type: 'agency', name: 'x', jurisdictions: ['NZ'] }).success).toBe(false);
    expect(CreateOrgSchema.safeParse({ id: 'platform-shop', type: 'retailer', name: 'x' }).success).toBe(true);
  });
  it('refuses unknown fields and types', () => {
    expect(CreateOrgSchema.safeParse({ id: 'acme', type: 'retailer', name: 'Acme', extra: 1 }).success).toBe(false);
    expect(CreateOrgSchema.safeParse({ id: 'acme', type: 'shop', name: 'Acme' }).success).toBe(false);
    expect(CreateOrgSchema.safeParse({ id: 'acme', type: 'retailer', name: '  ' }).success).toBe(false);
  });
  it.each(['NZ-AKL', 'US-NM', 'NZ', 'GB-LND'])('accepts jurisdiction %s', (j) => {
    expect(JurisdictionSchema.safeParse(j).success).toBe(true);
  });
  it.each(['nz-akl', 'NZL', 'NZ-', 'NZ-AKLX', ''])('refuses jurisdiction %s', (j) => {
    expect(JurisdictionSchema.safeParse(j).success).toBe(false);
  });
  it.each(['akl-042', 'A1', 'store_9.b'])('accepts store id %s', (id) => expect(StoreIdSchema.safeParse(id).success).toBe(true));
  it.each(['', '-x', 'a/b', 'a?b', 'a#b', 'x'.repeat(65)])('refuses store id %s', (id) =>
    expect(StoreIdSchema.safeParse(id).success).toBe(false),
  );
  it('a store needs a name and a jurisdiction, nothing else', () => {
    expect(PutStoreSchema.safeParse({ name: 'Queen St', jurisdiction: 'NZ-AKL' }).success).toBe(true);
    expect(PutStoreSchema.safeParse({ name: 'Queen St' }).success).toBe(false);
    expect(PutStoreSchema.safeParse({ name: 'Queen St', jurisdiction: 'NZ-AKL', x: 1 }).success).toBe(false);
  });
});
