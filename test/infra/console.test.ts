import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, single, snapshot, templateParameters, type Scenario } from './template';

const scenarios: Scenario[] = ['first-provision', 'second-provision', 'locked-immutability'];

describe.each(scenarios)('%s: the web console', (scenario) => {
  const site = () => single(scenario, 'Microsoft.Web/staticSites');

  it('is a Free Static Web App azd deploys the console to, with no repository and no preview environments', () => {
    expect(site().sku).toEqual({ name: 'Free', tier: 'Free' });
    expect(site().location).toBe('westeurope');
    expect(site().tags).toMatchObject({ 'azd-service-name': 'console', 'azd-env-name': 'ci' });
    expect(site().properties).toMatchObject({ provider: 'None', stagingEnvironmentPolicy: 'Disabled' });
  });

  it('its origin is allowed by the API’s CORS, without credentials, and by the storage account’s upload rule', () => {
    const apiCors = single(scenario, 'Microsoft.Web/sites').properties!.siteConfig.cors;
    expect(apiCors.supportCredentials).toBe(false);
    const [rule] = single(scenario, 'Microsoft.Storage/storageAccounts/blobServices').properties!.cors.corsRules;
    for (const origins of [apiCors.allowedOrigins, rule.allowedOrigins]) {
      // Known only once deployed: https:// and the site's generated host name.
      expect(origins).toContain(`format('https://{0}', reference('${site().id}', '2024-11-01').defaultHostname)`);
    }
  });

  it('hands its build the API’s origin, the blob endpoint and Entra ID’s authority (azd environment values)', () => {
    const outputs = snapshot(scenario).outputs;
    expect(outputs).toMatchObject({
      // The cloud's login endpoint (https://login.microsoftonline.com/ in the public cloud) and the tenant.
      CONSOLE_AUTHORITY: "[format('{0}{1}', environment().authentication.loginEndpoint, '00000000-0000-0000-0000-00000000000b')]",
      CONSOLE_API_SCOPE: 'api://11111111-2222-3333-4444-555555555555/access_as_user',
      CONSOLE_CLIENT_ID: '',
    });
    for (const name of ['SERVICE_CONSOLE_URI', 'CONSOLE_API_ORIGIN', 'CONSOLE_BLOB_ORIGIN']) expect(outputs).toHaveProperty(name);
  });
});

it('adds the named browser origins (a custom domain) to the console’s, for the API and for uploads', () => {
  const apiCors = single('second-provision', 'Microsoft.Web/sites').properties!.siteConfig.cors;
  const [rule] = single('second-provision', 'Microsoft.Storage/storageAccounts/blobServices').properties!.cors.corsRules;
  for (const origins of [apiCors.allowedOrigins, rule.allowedOrigins]) {
    expect(origins).toContain("createArray('https://app.example.com', 'https://admin.example.com')");
  }
  expect(rule.allowedMethods).toEqual(['GET', 'HEAD', 'PUT']);
});

it('defaults to the Free plan in westeurope, and azure.yaml deploys dist/console to it after building it', () => {
  expect(templateParameters().consoleSkuName!.defaultValue).toBe('Free');
  expect(templateParameters().consoleLocation!.defaultValue).toBe('westeurope');
  const yaml = readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8');
  expect(yaml).toMatch(/\n {2}console:\n(?: {4}.*\n)*? {4}host: staticwebapp\n(?: {4}.*\n)*? {4}dist: dist\/console\n/);
  expect(yaml).toMatch(/prepackage:[\s\S]*?run: npm run -s build:console/);
});
