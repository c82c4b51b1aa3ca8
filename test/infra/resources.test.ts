import { CASE_FILE_LIFETIME_DAYS } from '../../shared/domain/case-files/case-file-schema';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { blobContainers } from '../../shared/adapters/cosmos-containers';
import { compiledTemplate, leafName, ofType, ROOT, single, snapshot, templateParameters, type Scenario } from './template';

const scenarios: Scenario[] = ['first-provision', 'second-provision', 'locked-immutability'];

describe.each(scenarios)('%s: Function App', (scenario) => {
  it('is a Flex Consumption app on Node 22', () => {
    const plan = single(scenario, 'Microsoft.Web/serverfarms');
    expect(plan.sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
    expect(plan.properties).toEqual({ reserved: true });
    const site = single(scenario, 'Microsoft.Web/sites');
    expect(site.kind).toBe('functionapp,linux');
    expect(site.properties!.serverFarmId).toBe(plan.id);
    expect(site.properties!.functionAppConfig.runtime).toEqual({ name: 'node', version: '22' });
    expect(site.properties!.functionAppConfig.scaleAndConcurrency).toEqual({ maximumInstanceCount: 40, instanceMemoryMB: 2048 });
  });

  it('carries the azd service tag azure.yaml deploys to', () => {
    expect(single(scenario, 'Microsoft.Web/sites').tags).toMatchObject({ 'azd-service-name': 'api', 'azd-env-name': 'ci' });
  });

  it('sets no app setting Flex Consumption rejects (the runtime comes from functionAppConfig)', () => {
    const settings = single(scenario, 'Microsoft.Web/sites/config').properties!;
    for (const name of ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_NODE_DEFAULT_VERSION', 'WEBSITE_RUN_FROM_PACKAGE']) {
      expect(settings).not.toHaveProperty(name);
    }
  });
});

describe('evidence immutability', () => {
  const policy = (scenario: Scenario) => ofType(scenario, 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies');

  it('puts a time-based retention policy on the evidence container, from the parameter (default 30 days)', () => {
    const [first] = policy('first-provision');
    expect(first!.name.split('/').slice(-2)).toEqual(['evidence', 'default']);
    expect(first!.properties).toEqual({
      immutabilityPeriodSinceCreationInDays: 30,
      allowProtectedAppendWrites: false,
      allowProtectedAppendWritesAll: false,
    });
    expect(templateParameters().evidenceImmutabilityDays!.defaultValue).toBe(30);
    expect(policy('second-provision')[0]!.properties!.immutabilityPeriodSinceCreationInDays).toBe(90);
  });

  it('protects the evidence container and the audit digests, and nothing else', () => {
    for (const scenario of ['first-provision', 'second-provision'] as const) {
      expect(policy(scenario).map((p) => p.name.split('/')[2])).toEqual(['evidence', 'audit-digests']);
      for (const p of policy(scenario)) expect(blobContainers).toContain(p.name.split('/')[2]);
    }
  });

  it('lets the audit digests only grow (PRODUCT §8): records appended, none changed or deleted for ten years by default', () => {
    const digests = policy('first-provision').find((p) => p.name.split('/')[2] === 'audit-digests')!;
    expect(digests.properties).toEqual({ immutabilityPeriodSinceCreationInDays: 3650, allowProtectedAppendWrites: true, allowProtectedAppendWritesAll: false });
    expect(templateParameters().auditDigestImmutabilityDays!.defaultValue).toBe(3650);
  });

  it('stops managing a policy once it is locked (a locked policy can only be extended)', () => {
    expect(policy('locked-immutability')).toHaveLength(0);
    expect(templateParameters().evidenceImmutabilityPolicyLocked!.defaultValue).toBe(false);
    expect(templateParameters().auditDigestImmutabilityPolicyLocked!.defaultValue).toBe(false);
  });
});

describe('storage replication', () => {
  it('is zone-redundant unless a region without zones asks for less', () => {
    expect(templateParameters().storageSkuName!.defaultValue).toBe('Standard_ZRS');
    expect(single('first-provision', 'Microsoft.Storage/storageAccounts').sku).toEqual({ name: 'Standard_ZRS' });
  });
});

describe.each(scenarios)('%s: blob service', (scenario) => {
  it('keeps versions and soft-deleted blobs and containers', () => {
    expect(single(scenario, 'Microsoft.Storage/storageAccounts/blobServices').properties).toMatchObject({
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 7 },
      containerDeleteRetentionPolicy: { enabled: true, days: 7 },
    });
  });

  it('deletes previous versions of evidence and case-file blobs after 7 days, so deleted evidence really goes', () => {
    const rules = single(scenario, 'Microsoft.Storage/storageAccounts/managementPolicies').properties!.policy.rules;
    expect(rules).toEqual([
      expect.objectContaining({
        enabled: true,
        definition: {
          filters: { blobTypes: ['blockBlob'], prefixMatch: ['evidence-uploads/', 'evidence/', 'evidence-quarantine/', 'case-files/'] },
          actions: { version: { delete: { daysAfterCreationGreaterThan: 7 } } },
        },
      }),
      // Built case files copy events and evidence: gone a day after the app stops handing them out.
      expect.objectContaining({
        name: 'delete-expired-case-files',
        enabled: true,
        definition: {
          filters: { blobTypes: ['blockBlob'], prefixMatch: ['case-files/'] },
          actions: { baseBlob: { delete: { daysAfterCreationGreaterThan: CASE_FILE_LIFETIME_DAYS + 1 } } },
        },
      }),
    ]);
  });
});

it('has a CORS rule for browser uploads (the console’s origin always, test/infra/console.test.ts, and those given) and one for reads through a SAS from any origin', () => {
  const cors = (scenario: Scenario) => single(scenario, 'Microsoft.Storage/storageAccounts/blobServices').properties!.cors.corsRules;
  for (const scenario of scenarios)
    expect(cors(scenario)).toEqual([
      expect.objectContaining({ allowedMethods: ['GET', 'HEAD', 'PUT'] }),
      // A redirect from the API's origin sends Origin: null; no write is allowed from just any origin.
      expect.objectContaining({ allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'] }),
    ]);
});

describe('Event Grid drives the blob trigger', () => {
  it('has a system topic on the storage account in every provision', () => {
    for (const scenario of scenarios) {
      const topic = single(scenario, 'Microsoft.EventGrid/systemTopics');
      expect(topic.properties).toEqual({
        source: single(scenario, 'Microsoft.Storage/storageAccounts').id,
        topicType: 'Microsoft.Storage.StorageAccounts',
      });
      expect(topic.identity).toEqual({ type: 'SystemAssigned' });
    }
  });

  it('creates the subscription only when deployEventGridSubscription is set (the function must exist)', () => {
    expect(templateParameters().deployEventGridSubscription!.defaultValue).toBe(false);
    expect(ofType('first-provision', 'Microsoft.EventGrid/systemTopics/eventSubscriptions')).toHaveLength(0);
    expect(ofType('second-provision', 'Microsoft.EventGrid/systemTopics/eventSubscriptions')).toHaveLength(1);
    expect(snapshot('second-provision').outputs.EVENTGRID_SUBSCRIPTION_DEPLOYED).toBe(true);
  });

  it('filters on BlobCreated in evidence-uploads and posts one event at a time to the webhook', () => {
    const subscription = single('second-provision', 'Microsoft.EventGrid/systemTopics/eventSubscriptions');
    expect(subscription.name.split('/')[0]).toBe(leafName(single('second-provision', 'Microsoft.EventGrid/systemTopics')));
    expect(subscription.properties!.filter).toEqual({
      includedEventTypes: ['Microsoft.Storage.BlobCreated'],
      subjectBeginsWith: '/blobServices/default/containers/evidence-uploads/',
      isSubjectCaseSensitive: true,
    });
    expect(subscription.properties!.destination).toMatchObject({
      endpointType: 'WebHook',
      properties: { maxEventsPerBatch: 1 },
    });
    expect(subscription.properties!.eventDeliverySchema).toBe('EventGridSchema');
  });

  it('dead-letters undeliverable events with the topic’s own identity, not a key', () => {
    const subscription = single('second-provision', 'Microsoft.EventGrid/systemTopics/eventSubscriptions');
    expect(subscription.properties!.deadLetterWithResourceIdentity).toEqual({
      identity: { type: 'SystemAssigned' },
      deadLetterDestination: {
        endpointType: 'StorageBlob',
        properties: {
          resourceId: single('second-provision', 'Microsoft.Storage/storageAccounts').id,
          blobContainerName: 'eventgrid-deadletter',
        },
      },
    });
  });
});

describe('Cosmos DB capacity', () => {
  it('is serverless by default: nothing to pay at idle', () => {
    expect(single('first-provision', 'Microsoft.DocumentDB/databaseAccounts').properties!.capabilities).toEqual([
      { name: 'EnableServerless' },
    ]);
    expect(single('first-provision', 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases').properties!.options).toEqual({});
  });

  it('is autoscale throughput shared by the database when asked', () => {
    expect(single('second-provision', 'Microsoft.DocumentDB/databaseAccounts').properties!.capabilities).toEqual([]);
    expect(single('second-provision', 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases').properties!.options).toEqual({
      autoscaleSettings: { maxThroughput: 4000 },
    });
    for (const container of ofType('second-provision', 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers')) {
      expect(container.properties).not.toHaveProperty('options');
    }
  });
});

describe.each(scenarios)('%s: monitoring', (scenario) => {
  it('Application Insights is workspace-based, on the Log Analytics workspace', () => {
    const workspace = single(scenario, 'Microsoft.OperationalInsights/workspaces');
    expect(single(scenario, 'Microsoft.Insights/components').properties).toMatchObject({
      WorkspaceResourceId: workspace.id,
      IngestionMode: 'LogAnalytics',
    });
  });

  it('every service sends diagnostic logs or metrics to Log Analytics', () => {
    const workspace = single(scenario, 'Microsoft.OperationalInsights/workspaces').id;
    const settings = ofType(scenario, 'Microsoft.Insights/diagnosticSettings');
    const scopes = settings.map((s) => s.id.replace(/\/providers\/Microsoft\.Insights\/diagnosticSettings\/[^/]+$/, ''));
    const id = (type: string) => single(scenario, type).id;
    expect(scopes.sort()).toEqual(
      [
        id('Microsoft.Web/sites'),
        id('Microsoft.Storage/storageAccounts'),
        id('Microsoft.Storage/storageAccounts/blobServices'),
        id('Microsoft.Storage/storageAccounts/queueServices'),
        id('Microsoft.DocumentDB/databaseAccounts'),
        id('Microsoft.EventGrid/systemTopics'),
        id('Microsoft.KeyVault/vaults'),
      ].sort(),
    );
    for (const s of settings) {
      expect(s.properties!.workspaceId).toBe(workspace);
      const enabled = [...(s.properties!.logs ?? []), ...(s.properties!.metrics ?? [])].filter((c) => c.enabled);
      expect(enabled.length).toBeGreaterThan(0);
    }
    const logsOf = (type: string) =>
      settings.find((s) => s.id.startsWith(`${id(type)}/providers/`))!.properties!.logs as { category?: string; categoryGroup?: string }[];
    expect(logsOf('Microsoft.Web/sites')).toEqual([{ category: 'FunctionAppLogs', enabled: true }]);
    for (const type of [
      'Microsoft.Storage/storageAccounts/blobServices',
      'Microsoft.DocumentDB/databaseAccounts',
      'Microsoft.EventGrid/systemTopics',
      'Microsoft.KeyVault/vaults',
    ]) {
      expect(logsOf(type)).toEqual([{ categoryGroup: 'allLogs', enabled: true }]);
    }
  });
});

describe.each(scenarios)('%s: alerts', (scenario) => {
  const group = () => single(scenario, 'Microsoft.Insights/actionGroups');

  it('keeps 90 days of logs (who signed a case file, who read a blob, what failed)', () => {
    expect(single(scenario, 'Microsoft.OperationalInsights/workspaces').properties!.retentionInDays).toBe(90);
  });

  it('tells the operators when evidence events are dead-lettered or Cosmos DB throttles', () => {
    const alerts = ofType(scenario, 'Microsoft.Insights/metricAlerts');
    const on = (name: string) => alerts.find((a) => a.name === name)!.properties!;
    expect(alerts.map((a) => a.name).sort()).toEqual(['cosmos-throttled', 'evidence-events-dead-lettered']);
    expect(on('evidence-events-dead-lettered').scopes).toEqual([single(scenario, 'Microsoft.EventGrid/systemTopics').id]);
    expect(on('evidence-events-dead-lettered').criteria.allOf).toEqual([expect.objectContaining({ metricName: 'DeadLetteredCount', operator: 'GreaterThan', threshold: 0 })]);
    expect(on('cosmos-throttled').scopes).toEqual([single(scenario, 'Microsoft.DocumentDB/databaseAccounts').id]);
    expect(on('cosmos-throttled').criteria.allOf).toEqual([expect.objectContaining({ metricName: 'TotalRequests', dimensions: [{ name: 'StatusCode', operator: 'Include', values: ['429'] }] })]);
    for (const alert of alerts) expect(alert.properties!.actions).toEqual([{ actionGroupId: group().id }]);
  });

  it('tells them when a function run fails (a 5xx other than 503, a timer or queue run that threw) or a message is poisoned', () => {
    const rules = ofType(scenario, 'Microsoft.Insights/scheduledQueryRules');
    expect(rules.map((r) => r.name).sort()).toEqual(['function-runs-failed', 'messages-poisoned']);
    const workspace = single(scenario, 'Microsoft.OperationalInsights/workspaces').id;
    for (const rule of rules) {
      expect(rule.properties!.scopes).toEqual([workspace]);
      expect(rule.properties!.actions).toEqual({ actionGroups: [group().id] });
    }
    expect(rules.find((r) => r.name === 'function-runs-failed')!.properties!.criteria.allOf[0].query).toBe('AppRequests | where Success == false and ResultCode != "503"');
  });

  it('sends them to the addresses given (none by default: the portal shows the alerts)', () => {
    expect(templateParameters().alertEmails!.defaultValue).toBe('');
    if (scenario === 'second-provision') {
      expect(group().properties!.emailReceivers.map((r: { emailAddress: string }) => r.emailAddress)).toEqual(['ops@example.com', 'oncall@example.com']);
    } else {
      expect(group().properties!.emailReceivers).toEqual([]);
    }
  });
});

describe('azd', () => {
  const azureYaml = readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8');
  const parametersFile = JSON.parse(readFileSync(path.join(ROOT, 'infra/main.parameters.json'), 'utf8')) as {
    parameters: Record<string, { value: string }>;
  };

  it('azure.yaml deploys this project as the function service "api" and re-provisions after deploy', () => {
    expect(azureYaml).toMatch(/^services:\n {2}api:\n {4}project: \.\n {4}language: ts\n {4}host: function\n/m);
    expect(azureYaml).toMatch(/^ {4}remoteBuild: true$/m);
    expect(azureYaml).toMatch(/^hooks:\n {2}postdeploy:/m);
    expect(azureYaml).toContain('run: ./infra/hooks/postdeploy.sh');
    expect(azureYaml).toContain('run: ./infra/hooks/postdeploy.ps1');
  });

  it('azure.yaml runs the postprovision hook that creates the webhook secret key', () => {
    expect(azureYaml).toMatch(/^ {2}postprovision:\n {4}posix:\n {6}shell: sh\n {6}run: \.\/infra\/hooks\/postprovision\.sh\n/m);
    expect(azureYaml).toMatch(/^ {4}windows:\n {6}shell: pwsh\n {6}run: \.\/infra\/hooks\/postprovision\.ps1\n/m);
    for (const hook of ['postprovision.sh', 'postprovision.ps1']) expect(existsSync(path.join(ROOT, 'infra/hooks', hook))).toBe(true);
  });

  describe('the postdeploy hook', () => {
    /** Runs infra/hooks/postdeploy.sh with stand-ins for azd, az and sleep that log their calls. */
    function runHook(env: Record<string, string>): { output: string; calls: string[] } {
      const bin = mkdtempSync(path.join(tmpdir(), 'daybreak-hook-'));
      const log = path.join(bin, 'calls.log');
      const stub = (name: string, body: string) => {
        writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`);
        chmodSync(path.join(bin, name), 0o755);
      };
      stub('azd', '');
      stub('az', 'echo "$STUB_KEY"');
      stub('sleep', '');
      const output = execFileSync('sh', [path.join(ROOT, 'infra/hooks/postdeploy.sh')], {
        env: { PATH: `${bin}:/usr/bin:/bin`, AZURE_RESOURCE_GROUP: 'rg-ci', AZURE_FUNCTION_APP_NAME: 'func-api-x', ...env },
        encoding: 'utf8',
      });
      const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      rmSync(bin, { recursive: true, force: true });
      return { output, calls };
    }

    it('provisions again with the subscription turned on once the blobs_extension key exists', () => {
      const { calls } = runHook({ STUB_KEY: 'a-key' });
      expect(calls).toEqual([
        'az functionapp keys list -g rg-ci -n func-api-x --query systemKeys.blobs_extension -o tsv',
        'azd env set DEPLOY_EVENTGRID_SUBSCRIPTION true',
        'azd provision --no-prompt',
      ]);
    });

    it('skips, and says how to finish, while no blob-triggered function has started', () => {
      const { output, calls } = runHook({ STUB_KEY: '' });
      expect(calls.filter((c) => c.startsWith('azd'))).toEqual([]);
      expect(calls.filter((c) => c.startsWith('az '))).toHaveLength(6);
      expect(output).toContain('azd env set DEPLOY_EVENTGRID_SUBSCRIPTION true && azd provision');
    });

    it('does nothing once the subscription is provisioned', () => {
      expect(runHook({ STUB_KEY: 'a-key', DEPLOY_EVENTGRID_SUBSCRIPTION: 'true' }).calls).toEqual([]);
    });
  });

  it('.funcignore keeps tests, infra, local state and the Bicep cache out of the deployed package', () => {
    const ignored = readFileSync(path.join(ROOT, '.funcignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.tools', '.daybreak', 'infra', 'test', 'node_modules', 'local.settings.json']));
  });

  it('main.parameters.json maps only parameters main.bicep has, and every one without a default', () => {
    const declared = templateParameters();
    for (const name of Object.keys(parametersFile.parameters)) expect(Object.keys(declared)).toContain(name);
    const required = Object.entries(declared)
      .filter(([, p]) => !('defaultValue' in p))
      .map(([name]) => name);
    expect(required.sort()).toEqual(['authAudience', 'environmentName', 'location']);
    for (const name of required) expect(parametersFile.parameters[name]!.value).toMatch(/^\$\{[A-Z_]+\}$/);
    expect(parametersFile.parameters.environmentName!.value).toBe('${AZURE_ENV_NAME}');
    expect(parametersFile.parameters.location!.value).toBe('${AZURE_LOCATION}');
    expect(parametersFile.parameters.deployEventGridSubscription!.value).toBe('${DEPLOY_EVENTGRID_SUBSCRIPTION}');
    // azd's signed-in principal, which gets Key Vault Secrets Officer for the postprovision hook.
    expect(parametersFile.parameters.principalId!.value).toBe('${AZURE_PRINCIPAL_ID}');
    expect(templateParameters().principalId!.defaultValue).toBe('');
  });

  it('outputs what azd and the hooks read', () => {
    expect(Object.keys(compiledTemplate().outputs as object)).toEqual(
      expect.arrayContaining([
        'AZURE_LOCATION',
        'AZURE_TENANT_ID',
        'AZURE_RESOURCE_GROUP',
        'AZURE_FUNCTION_APP_NAME',
        'SERVICE_API_URI',
        'AZURE_KEY_VAULT_NAME',
        'AZURE_KEY_VAULT_ENDPOINT',
      ]),
    );
  });

  it('names resources with the abbreviations in infra/abbreviations.json', () => {
    const abbreviations = JSON.parse(readFileSync(path.join(ROOT, 'infra/abbreviations.json'), 'utf8')) as Record<string, string>;
    const prefix: Record<string, string> = {
      'Microsoft.Resources/resourceGroups': abbreviations.resourcesResourceGroups!,
      'Microsoft.ManagedIdentity/userAssignedIdentities': abbreviations.managedIdentityUserAssignedIdentities!,
      'Microsoft.Storage/storageAccounts': abbreviations.storageStorageAccounts!,
      'Microsoft.DocumentDB/databaseAccounts': abbreviations.documentDBDatabaseAccounts!,
      'Microsoft.Web/sites': abbreviations.webSitesFunctions!,
      'Microsoft.Web/serverfarms': abbreviations.webServerFarms!,
      'Microsoft.Insights/components': abbreviations.insightsComponents!,
      'Microsoft.OperationalInsights/workspaces': abbreviations.operationalInsightsWorkspaces!,
      'Microsoft.EventGrid/systemTopics': abbreviations.eventGridSystemTopics!,
      'Microsoft.KeyVault/vaults': abbreviations.keyVaultVaults!,
    };
    for (const [type, abbreviation] of Object.entries(prefix)) {
      expect(abbreviation).toBeTruthy();
      expect(single('first-provision', type).name.startsWith(abbreviation)).toBe(true);
    }
  });
});
