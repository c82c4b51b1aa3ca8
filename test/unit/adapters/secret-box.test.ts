describe('webhook secrets at rest', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.resetModules();
  });
  async function box(key: string | undefined) {
    jest.resetModules();
    process.env = { ...saved, COSMOS_ENDPOINT: 'https://127.0.0.1:8081', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a', AUTH_JWKS_URI: 'http://127.0.0.1/jwks', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
    if (key === undefined) delete process.env.WEBHOOK_SECRET_KEY;
    else process.env.WEBHOOK_SECRET_KEY = key;
    return import('../../../shared/adapters/secret-box');
  }

  it('seals and opens; the sealed form holds neither the secret nor the same bytes twice', async () => {
    const { sealSecret, openSecret, newWebhookSecret } = await box(Buffer.alloc(32, 7).toString('base64'));
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const a = sealSecret(secret);
    expect(a).not.toContain(secret.slice(6));
    expect(sealSecret(secret)).not.toBe(a);
    expect(openSecret(a)).toBe(secret);
  });

  it('a changed sealed form or another key does not open', async () => {
    const first = await box('local-development-only-webhook-secret-key');
    const sealed = first.sealSecret('whsec_abc');
    // One bit changed in each part (iv, tag, ciphertext), on the bytes (a base64 character can hold only padding bits).
    const raw = Buffer.from(sealed.slice(3), 'base64');
    for (const at of [0, 12, raw.length - 1]) {
      const changed = Buffer.from(raw);
      changed[at]! ^= 1;
      expect(() => first.openSecret(`v1:${changed.toString('base64')}`)).toThrow();
    }
    const second = await box('another-development-only-key-value');
    expect(() => second.openSecret(sealed)).toThrow();
  });

  it('an unresolved Key Vault reference or no key: 503, nothing sealed', async () => {
    for (const key of ['@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/webhook-secret-key/)', undefined]) {
      const { sealSecret } = await box(key);
      expect(() => sealSecret('whsec_abc')).toThrow(expect.objectContaining({ kind: 'unavailable' }));
    }
  });
});
