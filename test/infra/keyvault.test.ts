import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  compiledTemplate,
  leafName,
  ofType,
  referencedId,
  referencedProperty,
  ROOT,
  single,
  snapshot,
  type ArmResource,
  type Scenario,
} from './template';

/**
 * Webhook subscriptions: each signing secret is stored encrypted by the app with an AES-256 key
 * that lives in Key Vault. The template creates the vault and the roles and points the app at the
 * secret with a Key Vault reference; the postprovision hook creates the secret itself, once.
 */

const scenarios: Scenario[] = ['first-provision', 'second-provision', 'locked-immutability'];

const SECRET_NAME = 'webhook-secret-key';
const ROLE = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424',
  keyVaultCryptoOfficer: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
};
/** The principal running azd provision, as test/infra/params passes it (AZURE_PRINCIPAL_ID). */
const DEPLOYER = '99999999-8888-7777-6666-555555555555';

const vaultOf = (scenario: Scenario) => single(scenario, 'Microsoft.KeyVault/vaults');
const appSettings = (scenario: Scenario) => single(scenario, 'Microsoft.Web/sites/config').properties as Record<string, string>;

/** Role assignments whose scope is the resource itself. */
function assignmentsOn(scenario: Scenario, resource: ArmResource): ArmResource[] {
  return ofType(scenario, 'Microsoft.Authorization/roleAssignments').filter(
    (r) => r.id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/, '') === resource.id,
  );
}

const roleOf = (assignment: ArmResource) => (assignment.properties!.roleDefinitionId as string).split('/').pop();

/**
 * Evaluates "[format('…{0}…', reference('<id>', '<api>').prop, 'literal')]" (or a literal) with
 * `resolve` standing in for each reference(), so a test asserts on the value the app will see.
 */
function evaluate(value: string, resolve: (id: string, property: string) => string): string {
  if (!value.startsWith('[')) return value;
  const format = /^\[format\('((?:[^']|'')*)', (.*)\)\]$/.exec(value);
  if (!format) throw new Error(`Not a format() expression: ${value}`);
  const args = (format[2]!.match(/reference\('[^']+', '[^']+'(?:, 'full')?\)\.[\w.]+|'(?:[^']|'')*'/g) ?? []).map((arg) =>
    arg.startsWith('reference(') ? resolve(referencedId(`[${arg}]`)!, referencedProperty(`[${arg}]`)!) : arg.slice(1, -1).replace(/''/g, "'"),
  );
  return format[1]!.replace(/''/g, "'").replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)]!);
}

describe.each(scenarios)('%s: Key Vault', (scenario) => {
  it('exists once, named with the kv- abbreviation and the resource token, within 24 characters, tagged', () => {
    const vault = vaultOf(scenario);
    expect(vault.name).toMatch(/^kv-[a-z0-9]{13}$/);
    expect(vault.name.length).toBeLessThanOrEqual(24);
    expect(vault.name.slice(3)).toBe(single(scenario, 'Microsoft.Storage/storageAccounts').name.slice(2));
    expect(vault.tags).toEqual({ 'azd-env-name': 'ci' });
    expect(vault.location).toBe('westeurope');
  });

  it('authorizes with Azure RBAC, keeps deleted secrets recoverable and cannot be purged early', () => {
    expect(vaultOf(scenario).properties).toMatchObject({
      tenantId: snapshot(scenario).outputs.AZURE_TENANT_ID,
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
      publicNetworkAccess: 'Enabled',
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
    });
  });

  it('has no access policies', () => {
    expect(vaultOf(scenario).properties!.accessPolicies).toEqual([]);
    expect(ofType(scenario, 'Microsoft.KeyVault/vaults/accessPolicies')).toHaveLength(0);
  });

  it('never holds a secret, key or certificate created by the template (the hook creates both keys)', () => {
    for (const child of ['secrets', 'keys', 'certificates']) expect(ofType(scenario, `Microsoft.KeyVault/vaults/${child}`)).toHaveLength(0);
  });

  it('points CASEFILE_SIGNING_KEY_URI at the casefile-signing key of this vault, versionless, and never sets a development key', () => {
    const vault = vaultOf(scenario);
    const value = evaluate(appSettings(scenario).CASEFILE_SIGNING_KEY_URI!, (id, property) => {
      expect({ id, property }).toEqual({ id: vault.id, property: 'vaultUri' });
      return `https://${vault.name}.vault.azure.net/`;
    });
    expect(value).toBe(`https://${vault.name}.vault.azure.net/keys/casefile-signing`);
    expect(appSettings(scenario).CASEFILE_DEV_SIGNING_KEY_FILE).toBeUndefined();
  });

  it('sends its logs (audit events included) and metrics to Log Analytics', () => {
    const vault = vaultOf(scenario);
    const setting = ofType(scenario, 'Microsoft.Insights/diagnosticSettings').find((s) => s.id.startsWith(`${vault.id}/providers/`));
    expect(setting?.properties).toEqual({
      workspaceId: single(scenario, 'Microsoft.OperationalInsights/workspaces').id,
      logs: [{ categoryGroup: 'allLogs', enabled: true }],
      metrics: [{ category: 'AllMetrics', enabled: true }],
    });
  });

  it('gives the app identity Key Vault Secrets User and Crypto User on the vault (read the secret key, sign), and nothing more there', () => {
    const identity = single(scenario, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    const app = assignmentsOn(scenario, vaultOf(scenario)).filter((r) => referencedId(r.properties!.principalId) === identity.id);
    expect(app.map(roleOf).sort()).toEqual([ROLE.keyVaultCryptoUser, ROLE.keyVaultSecretsUser].sort());
    for (const a of app) {
      expect(referencedProperty(a.properties!.principalId)).toBe('principalId');
      expect(a.properties!.principalType).toBe('ServicePrincipal');
    }
  });

  it('gives the principal running azd provision Key Vault Secrets Officer and Crypto Officer on the vault (the hook creates both keys)', () => {
    const deployer = assignmentsOn(scenario, vaultOf(scenario)).filter((r) => r.properties!.principalId === DEPLOYER);
    expect(deployer.map(roleOf).sort()).toEqual([ROLE.keyVaultCryptoOfficer, ROLE.keyVaultSecretsOfficer].sort());
    for (const a of deployer) expect(a.properties!.principalType).toBe('User');
    expect(assignmentsOn(scenario, vaultOf(scenario))).toHaveLength(4);
  });

  it('gives the app WEBHOOK_SECRET_KEY as a versionless Key Vault reference to webhook-secret-key in this vault', () => {
    const vault = vaultOf(scenario);
    const value = evaluate(appSettings(scenario).WEBHOOK_SECRET_KEY!, (id, property) => {
      expect({ id, property }).toEqual({ id: vault.id, property: 'vaultUri' });
      return `https://${vault.name}.vault.azure.net/`;
    });
    expect(value).toBe(`@Microsoft.KeyVault(SecretUri=https://${vault.name}.vault.azure.net/secrets/${SECRET_NAME}/)`);
  });

  it('resolves Key Vault references with the user-assigned identity (keyVaultReferenceIdentity)', () => {
    const identity = single(scenario, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    expect(single(scenario, 'Microsoft.Web/sites').properties!.keyVaultReferenceIdentity).toBe(identity.id);
  });

  it('never lets webhooks go to loopback HTTP in Azure', () => {
    expect(appSettings(scenario).WEBHOOK_ALLOW_LOOPBACK_HTTP).toBe('false');
  });

  it('declares the Cosmos container subscriptions, partitioned by /orgId', () => {
    const container = ofType(scenario, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers').find(
      (c) => leafName(c) === 'subscriptions',
    );
    expect(container?.properties!.resource).toMatchObject({
      id: 'subscriptions',
      partitionKey: { paths: ['/orgId'], kind: 'Hash', version: 2 },
    });
  });

  it('outputs the vault name and URI for the hooks (azd env)', () => {
    const vault = vaultOf(scenario);
    const outputs = snapshot(scenario).outputs;
    expect(outputs.AZURE_KEY_VAULT_NAME).toBe(vault.name);
    expect(referencedId(outputs.AZURE_KEY_VAULT_ENDPOINT)).toBe(vault.id);
    expect(referencedProperty(outputs.AZURE_KEY_VAULT_ENDPOINT)).toBe('vaultUri');
  });
});

it('grants the deployer’s role only when azd passes a principal (principalId is not empty)', () => {
  const found: { condition?: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const resource = node as { type?: string; condition?: string; properties?: { roleDefinitionId?: string } };
    const role = String(resource.properties?.roleDefinitionId);
    const deployerRole = [ROLE.keyVaultSecretsOfficer, '.keyVaultSecretsOfficer)', ROLE.keyVaultCryptoOfficer, '.keyVaultCryptoOfficer)'].some((r) => role.includes(r));
    if (resource.type === 'Microsoft.Authorization/roleAssignments' && deployerRole) {
      found.push(resource);
    }
    Object.values(node).forEach(walk);
  };
  walk(compiledTemplate());
  expect(found).toHaveLength(2);
  for (const f of found) expect(f.condition).toMatch(/^\[not\(empty\(parameters\('\w+'\)\)\)\]$/);
});

describe('the postprovision hook creates the webhook secret key once', () => {
  interface Run {
    status: number;
    output: string;
    calls: string[];
    keyCalls: string[];
    roleCalls: string[];
  }

  /** Runs infra/hooks/postprovision.sh with stand-ins for az, openssl and sleep that log their calls. */
  function runHook(env: Record<string, string>): Run {
    const bin = mkdtempSync(path.join(tmpdir(), 'daybreak-kv-hook-'));
    const log = path.join(bin, 'calls.log');
    const stub = (name: string, body: string) => {
      writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`);
      chmodSync(path.join(bin, name), 0o755);
    };
    // `az keyvault secret list` fails STUB_LIST_FAILURES times (a role still propagating), then
    // prints STUB_NAMES; `az keyvault secret set` exits with STUB_SET_STATUS.
    stub(
      'az',
      [
        'case "$*" in',
        '  "keyvault secret list"*)',
        `    n=$(cat "${bin}/list-count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "${bin}/list-count"`,
        '    if [ "$n" -le "${STUB_LIST_FAILURES:-0}" ]; then echo "ERROR: (Forbidden) Caller is not authorized" >&2; exit 1; fi',
        '    printf "%b" "$STUB_NAMES" ;;',
        '  "keyvault secret set"*) exit "${STUB_SET_STATUS:-0}" ;;',
        '  "keyvault key list"*) printf "%b" "${STUB_KEYS:-}" ;;',
        'esac',
      ].join('\n'),
    );
    stub('openssl', 'head -c 32 /dev/urandom | base64');
    stub('sleep', '');
    let status = 0;
    let output: string;
    try {
      output = execFileSync('sh', [path.join(ROOT, 'infra/hooks/postprovision.sh')], {
        env: { PATH: `${bin}:/usr/bin:/bin`, AZURE_KEY_VAULT_NAME: 'kv-ci', ...env },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const failed = error as { status: number; stdout: string; stderr: string };
      status = failed.status;
      output = failed.stdout + failed.stderr;
    }
    const all = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
    rmSync(bin, { recursive: true, force: true });
    // The signing-key calls come first; the webhook-secret tests look at the rest.
    const role = (c: string) => c.startsWith('az role');
    return { status, output, calls: all.filter((c) => !c.startsWith('az keyvault key') && !role(c)), keyCalls: all.filter((c) => c.startsWith('az keyvault key')), roleCalls: all.filter(role) };
  }

  const LIST = 'az keyvault secret list --vault-name kv-ci --query [].name -o tsv';

  it('creates it with 32 random bytes, base64, when the vault does not have it', () => {
    const { status, calls } = runHook({ STUB_NAMES: 'another-secret\n' });
    expect(status).toBe(0);
    expect(calls.slice(0, 2)).toEqual([LIST, 'openssl rand -base64 32']);
    expect(calls).toHaveLength(3);
    const set = /^az keyvault secret set --vault-name kv-ci --name webhook-secret-key --value (\S+) (.*)$/.exec(calls[2]!);
    expect(set).not.toBeNull();
    expect(Buffer.from(set![1]!, 'base64')).toHaveLength(32);
    // The value is never echoed back by az.
    expect(set![2]).toContain('--output none');
  });

  it('creates it in an empty vault', () => {
    const { status, calls } = runHook({ STUB_NAMES: '' });
    expect(status).toBe(0);
    expect(calls.filter((c) => c.startsWith('az keyvault secret set'))).toHaveLength(1);
  });

  it('never overwrites it once it exists', () => {
    for (const names of ['webhook-secret-key\n', 'a\nwebhook-secret-key\nb\n', 'webhook-secret-key\r\n']) {
      const { status, output, calls } = runHook({ STUB_NAMES: names });
      expect(status).toBe(0);
      expect(calls).toEqual([LIST]);
      expect(output).toContain('already exists');
    }
  });

  it('does not take a name that merely contains it for the secret', () => {
    const { calls } = runHook({ STUB_NAMES: 'old-webhook-secret-key\nwebhook-secret-key-2\n' });
    expect(calls.filter((c) => c.startsWith('az keyvault secret set'))).toHaveLength(1);
  });

  it('waits for the deployer’s role to propagate, and decides only on a successful listing', () => {
    const { status, calls } = runHook({ STUB_NAMES: 'webhook-secret-key\n', STUB_LIST_FAILURES: '3' });
    expect(status).toBe(0);
    expect(calls).toEqual([LIST, 'sleep 10', LIST, 'sleep 10', LIST, 'sleep 10', LIST]);
  });

  it('fails, creating nothing, when the vault cannot be listed', () => {
    const { status, output, calls } = runHook({ STUB_NAMES: '', STUB_LIST_FAILURES: '1000' });
    expect(status).not.toBe(0);
    expect(calls.filter((c) => c === LIST)).toHaveLength(12);
    expect(calls.filter((c) => !c.startsWith('az keyvault secret list') && c !== 'sleep 10')).toEqual([]);
    expect(output).toContain('Key Vault');
    expect(output).toContain('Secrets Officer');
  });

  it('fails, and says how to recover a soft-deleted key, when creating it fails', () => {
    const { status, output } = runHook({ STUB_NAMES: '', STUB_SET_STATUS: '1' });
    expect(status).not.toBe(0);
    expect(output).toContain('az keyvault secret recover --vault-name kv-ci --name webhook-secret-key');
  });

  it("then takes back the deployer's Key Vault roles, so nobody who provisioned keeps the right to sign case files or read the key", () => {
    const env = { AZURE_PRINCIPAL_ID: 'p-1', AZURE_SUBSCRIPTION_ID: 'sub-1', AZURE_RESOURCE_GROUP: 'rg-ci' };
    const scope = '/subscriptions/sub-1/resourceGroups/rg-ci/providers/Microsoft.KeyVault/vaults/kv-ci';
    const dropped = [
      `az role assignment delete --assignee p-1 --role Key Vault Crypto Officer --scope ${scope} --output none`,
      `az role assignment delete --assignee p-1 --role Key Vault Secrets Officer --scope ${scope} --output none`,
    ];
    for (const names of ['', 'webhook-secret-key\n']) {
      const { status, roleCalls } = runHook({ ...env, STUB_NAMES: names });
      expect(status).toBe(0);
      expect(roleCalls).toEqual(dropped);
    }
    // Not when it failed (a re-run needs them), and not without knowing whom and where.
    expect(runHook({ ...env, STUB_NAMES: '', STUB_SET_STATUS: '1' }).roleCalls).toEqual([]);
    expect(runHook({ STUB_NAMES: '' }).roleCalls).toEqual([]);
  });

  it('fails without calling az when the azd environment has no vault', () => {
    const { status, calls } = runHook({ STUB_NAMES: '', AZURE_KEY_VAULT_NAME: '' });
    expect(status).not.toBe(0);
    expect(calls).toEqual([]);
  });

  it('creates the case-file signing key (EC P-256, sign and verify) once, and sets its yearly rotation on every run', () => {
    const created = runHook({ STUB_NAMES: 'webhook-secret-key\n', STUB_KEYS: 'another-key\n' });
    expect(created.status).toBe(0);
    expect(created.keyCalls[0]).toBe('az keyvault key list --vault-name kv-ci --query [].name -o tsv');
    expect(created.keyCalls[1]).toBe('az keyvault key create --vault-name kv-ci --name casefile-signing --kty EC --curve P-256 --ops sign verify --output none');
    expect(created.keyCalls[2]).toMatch(/^az keyvault key rotation-policy update --vault-name kv-ci --name casefile-signing --value \S+ --output none$/);
    const kept = runHook({ STUB_NAMES: 'webhook-secret-key\n', STUB_KEYS: 'casefile-signing\n' });
    expect(kept.keyCalls.map((c) => c.split(' --')[0])).toEqual(['az keyvault key list', 'az keyvault key rotation-policy update']);
    expect(kept.output).toContain('Case-file signing key: casefile-signing already exists');
    const ps1 = readFileSync(path.join(ROOT, 'infra/hooks/postprovision.ps1'), 'utf8');
    expect(ps1).toContain('az keyvault key create --vault-name $vault --name $signingKeyName --kty EC --curve P-256 --ops sign verify --output none');
    expect(ps1).toContain('"timeAfterCreate":"P1Y"');
  });

  it('the Windows hook names the same secret, checks before writing, and generates 32 random bytes', () => {
    const ps1 = readFileSync(path.join(ROOT, 'infra/hooks/postprovision.ps1'), 'utf8');
    expect(ps1).toContain(`$secretName = '${SECRET_NAME}'`);
    const list = ps1.indexOf('az keyvault secret list');
    const exists = ps1.indexOf('-contains $secretName');
    const set = ps1.indexOf('az keyvault secret set');
    expect(list).toBeGreaterThan(0);
    expect(exists).toBeGreaterThan(list);
    expect(set).toBeGreaterThan(exists);
    expect(ps1.match(/az keyvault secret set/g)).toHaveLength(1);
    expect(ps1).toContain('RandomNumberGenerator');
    expect(ps1).toContain('New-Object byte[] 32');
    expect(ps1).toMatch(/az keyvault secret set[^\n]*`\n[^\n]*--output none/);
  });
});
