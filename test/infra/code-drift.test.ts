import { readFileSync } from 'node:fs';
import path from 'node:path';
import { blobContainers, containerDefinitions, physicalContainers } from '../../shared/adapters/cosmos-containers';
import { settingNames } from '../../shared/config/settings';
import { roles } from '../../shared/domain/principal';
import { leafName, ofType, ROOT, single, snapshot, templateParameters, type Scenario } from './template';

/**
 * The Bicep must provision exactly what the code expects. Every name here comes from the
 * code itself, so renaming a container, adding a setting or a role on one side only fails.
 */

const scenarios: Scenario[] = ['first-provision', 'second-provision', 'locked-immutability'];

/** Settings the schema reads that must stay unset in Azure, and why. */
const LOCAL_ONLY_SETTINGS: Record<string, string> = {
  AzureWebJobsStorage: 'a connection string (with a key) for Azurite; Azure uses the identity-based AzureWebJobsStorage__* settings',
  COSMOS_KEY: 'the emulator key; in Azure the managed identity is used and the account has keys disabled',
  COSMOS_LOCAL_SELF_SIGNED_TLS: 'accepts the local server’s self-signed certificate; refused for a non-loopback endpoint',
  CASEFILE_DEV_SIGNING_KEY_FILE: 'a development signing key in a file; in Azure case files are signed by the Key Vault key, which never leaves the vault',
};

function appSettings(scenario: Scenario): Record<string, string> {
  const config = single(scenario, 'Microsoft.Web/sites/config');
  expect(leafName(config)).toBe('appsettings');
  return config.properties as Record<string, string>;
}

describe.each(scenarios)('%s: containers the code uses', (scenario) => {
  it('creates the Cosmos database and every container in containerDefinitions (once each), with the same partition key and composite indexes', () => {
    const [database] = ofType(scenario, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
    expect(leafName(database!)).toBe(appSettings(scenario).COSMOS_DATABASE);

    const created = ofType(scenario, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers').map((c) => ({
      id: c.properties!.resource.id as string,
      name: leafName(c),
      database: c.name.split('/')[1],
      partitionKey: c.properties!.resource.partitionKey,
      compositeIndexes: c.properties!.resource.indexingPolicy.compositeIndexes,
    }));
    const definitions = physicalContainers();
    const expected = definitions.map((def) => ({
      id: def.id,
      name: def.id,
      database: leafName(database!),
      partitionKey: def.shardKey ? { paths: [def.partitionKey, def.shardKey], kind: 'MultiHash', version: 2 } : { paths: [def.partitionKey], kind: 'Hash', version: 2 },
      compositeIndexes: def.compositeIndexes ?? [],
    }));
    expect(created).toEqual(expect.arrayContaining(expected));
    expect(created).toHaveLength(expected.length);
  });

  it('knows every property of a container definition (a new one, such as a TTL, needs Bicep too)', () => {
    for (const def of Object.values(containerDefinitions)) {
      expect(Object.keys(def).filter((k) => !['id', 'partitionKey', 'shardKey', 'compositeIndexes'].includes(k))).toEqual([]);
    }
  });

  it('creates every blob container in blobContainers, private', () => {
    const containers = ofType(scenario, 'Microsoft.Storage/storageAccounts/blobServices/containers');
    const names = containers.map(leafName);
    expect(names).toEqual(expect.arrayContaining([...blobContainers]));
    for (const container of containers) expect(container.properties?.publicAccess).toBe('None');
    // Beyond the code's: the Flex deployment package and Event Grid dead letters, nothing else.
    const extra = names.filter((n) => !(blobContainers as readonly string[]).includes(n));
    expect(extra).toHaveLength(2);
    expect(extra).toContain('eventgrid-deadletter');
    expect(extra.find((n) => n.startsWith('app-package-'))).toBeDefined();
  });
});

describe.each(scenarios)('%s: app settings', (scenario) => {
  it('sets every setting the code reads, except the local-only ones, which stay unset', () => {
    const settings = appSettings(scenario);
    for (const name of Object.keys(LOCAL_ONLY_SETTINGS)) expect(settingNames).toContain(name);
    for (const name of settingNames) {
      if (name in LOCAL_ONLY_SETTINGS) expect(settings).not.toHaveProperty(name);
      else expect(settings[name]).toEqual(expect.stringMatching(/\S/));
    }
  });

  it('passes the code’s own settings validation (deploy-time values stand in as placeholders)', () => {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(appSettings(scenario))) {
      // An ARM expression is only known at deployment: an endpoint URL or an id.
      env[name] = value.startsWith('[') ? (/Uri|URI|ENDPOINT/.test(name) ? 'https://resolved.at.deploy.example/' : 'resolved-at-deploy') : value;
    }
    const saved = process.env;
    process.env = env;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { settings } = require('../../shared/config/settings') as typeof import('../../shared/config/settings');
        const parsed = settings();
        expect(parsed.AzureWebJobsStorage).toBeUndefined();
        expect(parsed.COSMOS_KEY).toBeUndefined();
        expect(parsed.COSMOS_LOCAL_SELF_SIGNED_TLS).toBe(false);
        expect(parsed.AUTH_ORG_CLAIM).toBe(env.AUTH_ORG_CLAIM);
      });
    } finally {
      process.env = saved;
    }
  });
});

describe('Entra app roles (infra/entra/app-roles.json)', () => {
  const appRoles = JSON.parse(readFileSync(path.join(ROOT, 'infra/entra/app-roles.json'), 'utf8')) as {
    value: string;
    id: string;
    allowedMemberTypes: string[];
    isEnabled: boolean;
  }[];

  it('defines exactly the roles the code knows, each enabled with its own id', () => {
    expect(appRoles.map((r) => r.value).sort()).toEqual([...roles].sort());
    expect(new Set(appRoles.map((r) => r.id)).size).toBe(appRoles.length);
    for (const role of appRoles) {
      expect(role.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(role.isEnabled).toBe(true);
    }
  });

  it('gives Integration to applications (machine clients) and every other role to users', () => {
    for (const role of appRoles) {
      expect(role.allowedMemberTypes).toEqual(role.value === 'Integration' ? ['Application'] : ['User']);
    }
  });
});

describe('queues', () => {
  it('declares exactly the queues the app reads with queue triggers', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadApp } = require('../../tools/local-host/worker/load-app') as typeof import('../../tools/local-host/worker/load-app');
    const app = loadApp(ROOT, { logger: () => {} });
    const read = app.functions.filter((f) => f.trigger.type === 'queueTrigger').map((f) => String(f.trigger.queueName)).sort();
    expect(read).toEqual(['case-file-builds', 'match-events', 'match-rematch', 'matching-model', 'webhook-deliveries']);
    const declared = ofType('first-provision', 'Microsoft.Storage/storageAccounts/queueServices/queues').map(leafName).sort();
    expect(declared).toEqual(read);
  });
});

describe('the evidence blob trigger and its Event Grid subscription', () => {
  it('every blob trigger the app registers is the Event Grid-driven one on the uploads container, named as in Bicep', () => {
    // The built app (npm test builds it first), loaded as the Functions worker would.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadApp } = require('../../tools/local-host/worker/load-app') as typeof import('../../tools/local-host/worker/load-app');
    const app = loadApp(ROOT, { logger: () => {} });
    expect(app.functions.length).toBeGreaterThan(0);

    const subscription = single('second-provision', 'Microsoft.EventGrid/systemTopics/eventSubscriptions');
    const watched = /containers\/([^/]+)\/$/.exec(subscription.properties!.filter.subjectBeginsWith as string)?.[1];
    const functionName = templateParameters().evidenceUploadFunctionName!.defaultValue;
    expect(watched).toBe('evidence-uploads');
    expect(blobContainers).toContain(watched);

    // On Flex Consumption only Event Grid-sourced blob triggers fire, and only this one
    // container has a subscription.
    for (const fn of app.functions.filter((f) => f.trigger.type === 'blobTrigger')) {
      expect({ name: fn.name, source: fn.trigger.source, container: String(fn.trigger.path).split('/')[0] }).toEqual({
        name: functionName,
        source: 'EventGrid',
        container: watched,
      });
    }
  });

  it('the subscription posts to that function’s blobs_extension webhook', () => {
    const url = single('second-provision', 'Microsoft.EventGrid/systemTopics/eventSubscriptions').properties!.destination
      .properties.endpointUrl as string;
    const functionName = templateParameters().evidenceUploadFunctionName!.defaultValue as string;
    expect(url).toContain('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}');
    expect(url).toContain(`'${functionName}'`);
    expect(url).toMatch(/listKeys\('[^']+\/Microsoft\.Web\/sites\/[^']+\/host\/default', '[^']+'\)\.systemKeys\.blobs_extension/);
  });
});

it('every snapshot deploys the same resource names (names do not depend on options)', () => {
  const names = (s: Scenario) =>
    new Set(
      snapshot(s)
        .predictedResources.filter((r) => r.type.split('/').length === 2)
        .map((r) => `${r.type} ${r.name}`),
    );
  expect(names('first-provision').size).toBeGreaterThanOrEqual(10);
  expect(names('second-provision')).toEqual(names('first-provision'));
  expect(names('locked-immutability')).toEqual(names('first-provision'));
});
