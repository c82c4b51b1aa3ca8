import {
  compiledTemplate,
  compiledText,
  leafName,
  ofType,
  referencedId,
  referencedProperty,
  single,
  snapshot,
  type Scenario,
} from './template';

/**
 * Identity first: one user-assigned identity for the app, Entra ID everywhere, no shared keys,
 * and only the role assignments the app needs, at the narrowest scope.
 */

const scenarios: Scenario[] = ['first-provision', 'second-provision', 'locked-immutability'];

const ROLE = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  cosmosBuiltInDataContributor: '00000000-0000-0000-0000-000000000002',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424',
  keyVaultCryptoOfficer: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
};

/** The principal running azd provision, as test/infra/params passes it (AZURE_PRINCIPAL_ID). */
const DEPLOYER = '99999999-8888-7777-6666-555555555555';

/** Roles that reach keys, manage resources or grant access: never needed at run time. */
const PRIVILEGED_ROLES = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  roleBasedAccessControlAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  storageAccountContributor: '17d1049b-9a84-46fb-8f53-869881c3d3ab',
  storageAccountKeyOperator: '81a9662b-bebf-436f-a333-f67b29880f12',
  documentDbAccountContributor: '5bd9cd88-fe45-4216-938b-f97437e15450',
  cosmosDbOperator: '230815da-be43-4aae-9cb4-875f7bd000aa',
  cosmosDbAccountReaderRole: 'fbdf93bf-df7d-467e-a4d2-9458aa1360c8',
};

describe.each(scenarios)('%s: identity', (scenario) => {
  const identity = () => single(scenario, 'Microsoft.ManagedIdentity/userAssignedIdentities');
  const site = () => single(scenario, 'Microsoft.Web/sites');
  const settings = () => single(scenario, 'Microsoft.Web/sites/config').properties as Record<string, string>;

  it('runs the Function App as the user-assigned identity only (no system-assigned identity)', () => {
    expect(site().identity).toEqual({ type: 'UserAssigned', userAssignedIdentities: { [identity().id]: {} } });
  });

  it('points every identity-based setting at that identity’s client id', () => {
    for (const name of ['AZURE_CLIENT_ID', 'AzureWebJobsStorage__clientId']) {
      expect(referencedId(settings()[name])).toBe(identity().id);
      expect(referencedProperty(settings()[name])).toBe('clientId');
    }
    expect(settings().AzureWebJobsStorage__credential).toBe('managedidentity');
    const authentication = /^\[format\('ClientId=\{0\};Authorization=AAD', reference\('([^']+)', '[^']+'\)\.clientId\)\]$/.exec(
      settings().APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? '',
    );
    expect(authentication?.[1]).toBe(identity().id);
  });

  it('reaches host storage by identity: service URIs of the app’s own account, no connection string', () => {
    const storage = single(scenario, 'Microsoft.Storage/storageAccounts');
    expect(referencedId(settings().AzureWebJobsStorage__blobServiceUri)).toBe(storage.id);
    expect(referencedProperty(settings().AzureWebJobsStorage__blobServiceUri)).toBe('primaryEndpoints.blob');
    expect(referencedId(settings().AzureWebJobsStorage__queueServiceUri)).toBe(storage.id);
    expect(referencedProperty(settings().AzureWebJobsStorage__queueServiceUri)).toBe('primaryEndpoints.queue');
    expect(settings()).not.toHaveProperty('AzureWebJobsStorage');
  });

  it('reads the deployment package with the identity too', () => {
    const deployment = site().properties!.functionAppConfig.deployment.storage;
    expect(deployment.type).toBe('blobContainer');
    expect(deployment.authentication).toEqual({ type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity().id });
  });
});

describe.each(scenarios)('%s: no shared keys anywhere', (scenario) => {
  it('Storage refuses shared keys and anonymous access; HTTPS and TLS 1.2 only', () => {
    expect(single(scenario, 'Microsoft.Storage/storageAccounts').properties).toMatchObject({
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
      supportsHttpsTrafficOnly: true,
    });
  });

  it('Cosmos DB refuses its keys, for data and for metadata writes', () => {
    expect(single(scenario, 'Microsoft.DocumentDB/databaseAccounts').properties).toMatchObject({
      disableLocalAuth: true,
      disableKeyBasedMetadataWriteAccess: true,
      minimalTlsVersion: 'Tls12',
    });
  });

  it('Cosmos DB can be restored to any point of the last seven days (a wrong sweep or migration found the next day)', () => {
    expect(single(scenario, 'Microsoft.DocumentDB/databaseAccounts').properties!.backupPolicy).toEqual({ type: 'Continuous', continuousModeProperties: { tier: 'Continuous7Days' } });
  });

  it('Application Insights and Log Analytics accept Entra-authenticated ingestion only', () => {
    expect(single(scenario, 'Microsoft.Insights/components').properties).toMatchObject({ DisableLocalAuth: true });
    expect(single(scenario, 'Microsoft.OperationalInsights/workspaces').properties!.features).toMatchObject({
      disableLocalAuth: true,
    });
  });

  it('the Function App has no FTP or basic-auth publishing credentials and serves HTTPS, TLS 1.2', () => {
    const policies = ofType(scenario, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(policies.map(leafName).sort()).toEqual(['ftp', 'scm']);
    for (const policy of policies) expect(policy.properties).toEqual({ allow: false });
    const site = single(scenario, 'Microsoft.Web/sites').properties!;
    expect(site.httpsOnly).toBe(true);
    expect(site.siteConfig.minTlsVersion).toBe('1.2');
    expect(site.siteConfig.ftpsState).toBe('Disabled');
  });

  it('no app setting carries a key, a SAS or a key-bearing connection string (a secret is only a Key Vault reference)', () => {
    const settings = single(scenario, 'Microsoft.Web/sites/config').properties as Record<string, string>;
    for (const [name, value] of Object.entries(settings)) {
      expect({ name, value }).toEqual({ name, value: expect.not.stringMatching(/AccountKey=|SharedAccessSignature|sig=|listKeys|InstrumentationKey=/i) });
      if (!value.includes('@Microsoft.KeyVault(SecretUri=')) expect(name).not.toMatch(/KEY$|SECRET|PASSWORD/i);
    }
    expect(referencedProperty(settings.APPLICATIONINSIGHTS_CONNECTION_STRING)).toBe('ConnectionString');
  });
});

describe('no key is read anywhere in the compiled template', () => {
  it('the only list*() call is the Functions host key that the Event Grid webhook needs', () => {
    const calls = compiledText().match(/\blist\w*\([^)]*\)/gi) ?? [];
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toMatch(/^listKeys\(format\('\{0\}\/host\/default', resourceId\('Microsoft\.Web\/sites'/);
  });

  it('no key, SAS or connection-string secret appears in the template', () => {
    expect(compiledText()).not.toMatch(/AccountKey=|SharedAccessSignature|primaryMasterKey|listConnectionStrings|listAccountSas|listServiceSas/i);
  });

  it('no output is marked or named as a secret', () => {
    const outputs = Object.keys(compiledTemplate().outputs as object);
    for (const name of outputs) expect(name.replace(/KEY_VAULT/g, '')).not.toMatch(/KEY|SECRET|PASSWORD|CONNECTION_STRING/i);
  });
});

interface Assignment {
  principal: string;
  role: string;
  scope: string;
}

function assignments(scenario: Scenario): Assignment[] {
  const rbac = ofType(scenario, 'Microsoft.Authorization/roleAssignments').map((r) => ({
    // An identity this template creates (an unresolved reference), or the deployer's object id.
    principal: referencedId(r.properties!.principalId) ?? (r.properties!.principalId as string),
    role: (r.properties!.roleDefinitionId as string).split('/').pop()!,
    scope: r.id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/, ''),
  }));
  const cosmos = ofType(scenario, 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments').map((r) => ({
    principal: referencedId(r.properties!.principalId)!,
    role: (r.properties!.roleDefinitionId as string).split('/').pop()!,
    scope: r.properties!.scope as string,
  }));
  return [...rbac, ...cosmos];
}

describe.each(scenarios)('%s: role assignments', (scenario) => {
  it('are exactly the ones the app, Event Grid and the deployer need, each at the narrowest scope', () => {
    const app = single(scenario, 'Microsoft.ManagedIdentity/userAssignedIdentities').id;
    const topic = single(scenario, 'Microsoft.EventGrid/systemTopics').id;
    const storage = single(scenario, 'Microsoft.Storage/storageAccounts').id;
    const insights = single(scenario, 'Microsoft.Insights/components').id;
    const cosmos = single(scenario, 'Microsoft.DocumentDB/databaseAccounts').id;
    const database = leafName(single(scenario, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases'));
    const vault = single(scenario, 'Microsoft.KeyVault/vaults').id;
    const expected: Assignment[] = [
      // Host storage (AzureWebJobsStorage), blob trigger, app containers, user-delegation SAS.
      { principal: app, role: ROLE.storageBlobDataOwner, scope: storage },
      // Blob trigger poison queue, queue triggers.
      { principal: app, role: ROLE.storageQueueDataContributor, scope: storage },
      // AAD-authenticated telemetry.
      { principal: app, role: ROLE.monitoringMetricsPublisher, scope: insights },
      // Items in the app's own database only.
      { principal: app, role: ROLE.cosmosBuiltInDataContributor, scope: `${cosmos}/dbs/${database}` },
      // Dead-lettered events, into that one container.
      {
        principal: topic,
        role: ROLE.storageBlobDataContributor,
        scope: `${storage}/blobServices/default/containers/eventgrid-deadletter`,
      },
      // The webhook secret key, through the WEBHOOK_SECRET_KEY Key Vault reference.
      { principal: app, role: ROLE.keyVaultSecretsUser, scope: vault },
      // The postprovision hook creates that key once.
      { principal: DEPLOYER, role: ROLE.keyVaultSecretsOfficer, scope: vault },
      // Signing case files with the vault's key (sign and read public keys only).
      { principal: app, role: ROLE.keyVaultCryptoUser, scope: vault },
      // The postprovision hook creates that signing key once.
      { principal: DEPLOYER, role: ROLE.keyVaultCryptoOfficer, scope: vault },
    ];
    expect(assignments(scenario)).toEqual(expect.arrayContaining(expected));
    expect(assignments(scenario)).toHaveLength(expected.length);
  });

  it('never grant a role that manages resources, reads keys or grants access, nor at resource group scope', () => {
    for (const a of assignments(scenario)) {
      expect(Object.values(PRIVILEGED_ROLES)).not.toContain(a.role);
      expect(a.scope).toMatch(/\/providers\//);
    }
  });

  it('are named with guid() of scope, principal and role, so re-deployment updates rather than duplicates', () => {
    const rbac = ofType(scenario, 'Microsoft.Authorization/roleAssignments');
    for (const r of rbac) {
      expect(r.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.properties!.principalType).toBe(r.properties!.principalId === DEPLOYER ? 'User' : 'ServicePrincipal');
    }
    expect(new Set(rbac.map((r) => r.name)).size).toBe(rbac.length);
    const cosmos = single(scenario, 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
    expect(leafName(cosmos)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Same inputs, same names, whatever the options.
    expect(rbac.map((r) => r.name).sort()).toEqual(
      ofType('first-provision', 'Microsoft.Authorization/roleAssignments')
        .map((r) => r.name)
        .sort(),
    );
  });
});

it('the snapshots cover every role assignment resource in the compiled template', () => {
  const text = compiledText();
  const declared = (text.match(/"type": "Microsoft\.Authorization\/roleAssignments"/g) ?? []).length;
  const sqlDeclared = (text.match(/"type": "Microsoft\.DocumentDB\/databaseAccounts\/sqlRoleAssignments"/g) ?? []).length;
  expect(declared).toBe(ofType('second-provision', 'Microsoft.Authorization/roleAssignments').length);
  expect(sqlDeclared).toBe(snapshot('second-provision').predictedResources.filter((r) => r.type.endsWith('/sqlRoleAssignments')).length);
});
