targetScope = 'subscription'

metadata description = 'Daybreak in one resource group: a Flex Consumption Function App (Node 22) running as one user-assigned managed identity, the web console as a Static Web App, Storage, Cosmos DB, Event Grid, Key Vault, Application Insights and Log Analytics. No shared keys, connection strings with secrets, or publishing credentials.'

// ---------------------------------------------------------------------------------------
// Parameters (azd maps them from environment values in main.parameters.json)
// ---------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('azd environment name; with the subscription and location it seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Resource group name. Empty: rg-<environmentName>.')
param resourceGroupName string = ''

@minLength(1)
@description('Expected token audience (aud, AUTH_AUDIENCE): the API app registration\'s Application ID URI, e.g. api://<app-id>.')
param authAudience string

@minLength(1)
@description('Expected token issuer (iss, AUTH_ISSUER). Default: the Entra ID v1 access-token issuer of this tenant (v1 tokens carry amr, which MFA checks need).')
param authIssuer string = 'https://sts.windows.net/${tenant().tenantId}/'

@minLength(1)
@description('The issuer\'s JWKS (AUTH_JWKS_URI). Default: this tenant\'s Entra ID signing keys.')
param authJwksUri string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/discovery/keys'

@minLength(1)
@description('Claim carrying the organisation id (AUTH_ORG_CLAIM). Entra ID emits the directory extension "org" as extn.org.')
param authOrgClaim string = 'extn.org'

@description('App log level (LOG_LEVEL).')
@allowed(['debug', 'info', 'warn', 'error'])
param logLevel string = 'info'

@description('Evidence size limits in bytes per media class (EVIDENCE_MAX_IMAGE_BYTES, _VIDEO_, _DOCUMENT_).')
param evidenceMaxImageBytes int = 26214400
param evidenceMaxVideoBytes int = 4294967296
param evidenceMaxDocumentBytes int = 52428800

@description('Cosmos DB capacity: serverless (pay per request, nothing at idle) or autoscale (provisioned RU/s shared by the database).')
@allowed(['serverless', 'autoscale'])
param cosmosCapacityMode string = 'serverless'

@description('Autoscale maximum RU/s for the database when cosmosCapacityMode is autoscale (it scales down to 10%).')
@minValue(1000)
@maxValue(1000000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Storage replication: zone-redundant by default (evidence and the audit digests outlive a datacentre); Standard_LRS only where the region has no zones.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS', 'Standard_RAGRS', 'Standard_RAGZRS'])
param storageSkuName string = 'Standard_ZRS'

@description('Evidence immutability: days after upload during which an evidence blob cannot be deleted (it can never be overwritten). Keep it no longer than the shortest retentionDays a retailer may choose, or the retention sweep cannot delete evidence on time.')
@minValue(1)
@maxValue(146000)
param evidenceImmutabilityDays int = 30

@description('Set to true after locking the evidence immutability policy (README): a locked policy is only extended with the CLI, and this template stops managing it.')
param evidenceImmutabilityPolicyLocked bool = false

@description('Audit digests (PRODUCT §8: append-only): days after a digest blob was created during which it cannot be deleted; records can be appended, never changed. The digests hold chain heads (ids and hashes), no personal data, so they may be kept as long as the chain.')
@minValue(1)
@maxValue(146000)
param auditDigestImmutabilityDays int = 3650

@description('Set to true after locking the audit digests\' immutability policy (docs/deployment.md): a locked policy is only extended with the CLI, and this template stops managing it.')
param auditDigestImmutabilityPolicyLocked bool = false

@description('Comma-separated email addresses told when an operational alert fires (dead-lettered evidence events, Cosmos DB throttling, failed function runs, poisoned messages); none: the alerts show in the portal only.')
param alertEmails string = ''

@description('Create the Event Grid subscription that drives the evidence blob trigger. It needs the deployed function (its webhook key and validation handshake): false on the first provision, true from the second (the postdeploy hook does this).')
param deployEventGridSubscription bool = false

@description('Name of the blob-triggered function that processes evidence uploads, as registered in code (app.storageBlob(name, { source: \'EventGrid\', path: \'evidence-uploads/{name}\' })).')
param evidenceUploadFunctionName string = 'evidence-process'

@description('Browser origins besides the console\'s own (a custom domain, another front end), comma-separated (e.g. https://app.example.com): allowed by the API\'s CORS and to upload to and download from SAS URLs. The console\'s azurestaticapps.net origin is always allowed.')
param uploadCorsAllowedOrigins string = ''

@description('Region of the console\'s Static Web App (it serves from a global edge; only these regions host its control plane).')
@allowed(['westus2', 'centralus', 'eastus2', 'westeurope', 'eastasia'])
param consoleLocation string = 'westeurope'

@description('Static Web App plan of the console: Free (no cost) or Standard (SLA, more custom domains).')
@allowed(['Free', 'Standard'])
param consoleSkuName string = 'Free'

@description('Application (client) id of the console\'s SPA app registration (docs/entra.md; CONSOLE_CLIENT_ID). Written into the console\'s /console-config.json by its build; empty until registered.')
param consoleClientId string = ''

@description('The API\'s delegated scope the console asks Entra ID for (CONSOLE_API_SCOPE). Default: access_as_user on the API\'s Application ID URI.')
param consoleApiScope string = '${authAudience}/access_as_user'

@description('Most Function App instances (a ceiling on cost and on load on Cosmos DB).')
@minValue(1)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Memory per Function App instance, in MB.')
@allowed([512, 2048, 4096])
param functionInstanceMemoryMB int = 2048

@description('Object id of the principal running azd provision (azd sets AZURE_PRINCIPAL_ID). It gets Key Vault Secrets Officer on the vault so the postprovision hook can create the webhook secret key. Empty: no role.')
param principalId string = ''

@description('Type of principalId: User when you run azd, ServicePrincipal in a pipeline (AZURE_PRINCIPAL_TYPE).')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

// ---------------------------------------------------------------------------------------
// The code's own names. test/infra compares them with shared/adapters/cosmos-containers.ts
// (containerDefinitions, blobContainers) and fails when either side changes alone.
// ---------------------------------------------------------------------------------------

var cosmosDatabaseName = 'daybreak'

var cosmosContainers = [
  { id: 'orgs', partitionKey: '/orgId' }
  // The audit chain in segments of a fixed number of entries, one logical partition each (docs/decisions/0004).
  { id: 'audit-chain', partitionKey: '/partition' }
  // The chain as stored before segments: read by the migration job, then empty.
  { id: 'audit', partitionKey: '/orgId' }
  // Events, their people's profiles and the plate index, sharded: an event's writes are one transactional batch in its shard.
  {
    id: 'retailer-records'
    partitionKey: '/orgId'
    shardKey: '/shard'
    compositeIndexes: [
      [
        { path: '/occurredAtUtc', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
      [
        { path: '/harm', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  { id: 'agreements', partitionKey: '/orgId' }
  { id: 'messages', partitionKey: '/orgId' }
  // Sharded: 32 logical partitions per retailer under the hierarchical key [orgId, shard] (docs/decisions/0004).
  { id: 'match-keys', partitionKey: '/orgId', shardKey: '/shard' }
  {
    id: 'link-records'
    partitionKey: '/orgId'
    shardKey: '/shard'
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  { id: 'idempotency-keys', partitionKey: '/orgId', shardKey: '/shard' }
  { id: 'evidence-records', partitionKey: '/orgId', shardKey: '/shard' }
  {
    id: 'lpr-alert-records'
    partitionKey: '/orgId'
    shardKey: '/shard'
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  { id: 'aggregates', partitionKey: '/orgId' }
  // The containers as they were before shards: emptied by the shard migration job.
  { id: 'matchkeys', partitionKey: '/orgId' }
  { id: 'idempotency', partitionKey: '/orgId' }
  { id: 'events', partitionKey: '/orgId' }
  { id: 'links', partitionKey: '/orgId' }
  { id: 'evidence', partitionKey: '/orgId' }
  {
    id: 'lpr-alerts'
    partitionKey: '/orgId'
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' }
        { path: '/id', order: 'descending' }
      ]
    ]
  }
  // Alert subscriptions (each webhook's signing secret sealed with WEBHOOK_SECRET_KEY), their deliveries and digests.
  { id: 'subscriptions', partitionKey: '/orgId' }
  // Case files for prosecution (the ZIPs themselves are blobs in case-files).
  { id: 'case-files', partitionKey: '/orgId' }
]

var blobContainerNames = {
  uploads: 'evidence-uploads'
  evidence: 'evidence'
  quarantine: 'evidence-quarantine'
  auditDigests: 'audit-digests'
  caseFiles: 'case-files'
}

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var serviceName = 'api'
var functionAppName = '${abbrs.webSitesFunctions}${serviceName}-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var deadLetterContainerName = 'eventgrid-deadletter'
// The Key Vault secret holding the AES-256 key that encrypts webhook signing secrets. The
// postprovision hook (infra/hooks/postprovision.sh) creates it once; the template only refers to it.
var webhookSecretKeySecretName = 'webhook-secret-key'
// The Key Vault key that signs case files (ES256): created once by the postprovision hook (a
// template can create a key only for a deployer already holding a data-plane role), used by the
// app through sign operations only; the private key never leaves the vault.
var caseFileSigningKeyName = 'casefile-signing'
// Every name is computed here, so modules get deterministic names (what-if can predict
// them) and order comes from dependsOn.
var names = {
  identity: '${abbrs.managedIdentityUserAssignedIdentities}${serviceName}-${resourceToken}'
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  applicationInsights: '${abbrs.insightsComponents}${resourceToken}'
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  cosmos: '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
  systemTopic: '${abbrs.eventGridSystemTopics}${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: functionAppName
  blobTriggerSubscription: '${abbrs.eventGridEventSubscriptions}${blobContainerNames.uploads}'
  // 'kv-' + 13 characters: within Key Vault's 24.
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  console: '${abbrs.webStaticSites}console-${resourceToken}'
}
// The browser origins the API and the storage account allow: the console's, and any named.
var extraBrowserOrigins = empty(uploadCorsAllowedOrigins) ? [] : map(split(uploadCorsAllowedOrigins, ','), origin => trim(origin))
var browserOrigins = union([webConsole.outputs.origin], extraBrowserOrigins)

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

// The web console (static files, deployed by azd as the service 'console').
module webConsole 'app/console.bicep' = {
  name: 'console'
  scope: rg
  params: {
    name: names.console
    location: consoleLocation
    tags: tags
    serviceName: 'console'
    skuName: consoleSkuName
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSkuName
    appContainerNames: [
      blobContainerNames.uploads
      blobContainerNames.evidence
      blobContainerNames.quarantine
      blobContainerNames.auditDigests
      blobContainerNames.caseFiles
    ]
    // The queue triggers' queues (test/infra checks them against the app's registrations).
    queueNames: ['match-events', 'match-rematch', 'matching-model', 'webhook-deliveries', 'case-file-builds']
    immutableContainerName: blobContainerNames.evidence
    immutabilityDays: evidenceImmutabilityDays
    immutabilityPolicyLocked: evidenceImmutabilityPolicyLocked
    appendOnlyContainerName: blobContainerNames.auditDigests
    appendOnlyDays: auditDigestImmutabilityDays
    appendOnlyPolicyLocked: auditDigestImmutabilityPolicyLocked
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
    versionCleanupContainerNames: [
      blobContainerNames.uploads
      blobContainerNames.evidence
      blobContainerNames.quarantine
      blobContainerNames.caseFiles
    ]
    caseFileContainerName: blobContainerNames.caseFiles
    // One day past the 30 the app hands a case file out for (CASE_FILE_LIFETIME_DAYS).
    caseFileLifetimeDays: 31
    previousVersionRetentionDays: 7
    softDeleteDays: 7
    corsAllowedOrigins: browserOrigins
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module cosmos 'app/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    accountName: names.cosmos
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    containers: cosmosContainers
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module eventGrid 'app/eventgrid.bicep' = {
  name: 'eventgrid'
  scope: rg
  params: {
    name: names.systemTopic
    location: location
    tags: tags
    storageAccountName: names.storage
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
  dependsOn: [storage]
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    tags: tags
    alertEmails: empty(alertEmails) ? [] : map(split(alertEmails, ','), address => trim(address))
    location: location
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    cosmosAccountName: names.cosmos
    systemTopicName: names.systemTopic
  }
  dependsOn: [cosmos, eventGrid]
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    appIdentityName: names.identity
    storageAccountName: names.storage
    cosmosAccountName: names.cosmos
    cosmosDatabaseName: cosmosDatabaseName
    applicationInsightsName: names.applicationInsights
    eventGridSystemTopicName: names.systemTopic
    deadLetterContainerName: deadLetterContainerName
    keyVaultName: names.keyVault
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
  dependsOn: [identity, storage, cosmos, monitoring, eventGrid, keyVault]
}

// Every setting shared/config/settings.ts reads, except the local-only ones (a connection
// string or key, and the local TLS switch), which must stay unset in Azure.
var appSettings = {
  // Functions host storage, identity-based: no connection string.
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  // Application Insights with Entra ID authentication (local auth is disabled).
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  // The identity the app's own SDK clients use (shared/adapters/azure-clients.ts).
  AZURE_CLIENT_ID: identity.outputs.clientId
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_DATABASE: cosmos.outputs.databaseName
  AUTH_ISSUER: authIssuer
  AUTH_AUDIENCE: authAudience
  AUTH_JWKS_URI: authJwksUri
  AUTH_ORG_CLAIM: authOrgClaim
  LOG_LEVEL: logLevel
  EVIDENCE_MAX_IMAGE_BYTES: string(evidenceMaxImageBytes)
  EVIDENCE_MAX_VIDEO_BYTES: string(evidenceMaxVideoBytes)
  EVIDENCE_MAX_DOCUMENT_BYTES: string(evidenceMaxDocumentBytes)
  // Fixed for the deployment's life: where each audit entry lives follows from it (docs/decisions/0004).
  AUDIT_SEGMENT_ENTRIES: '2000000'
  // A Key Vault reference (versionless: the current version), resolved by the platform with
  // the app's identity (keyVaultReferenceIdentity): the key never appears in the template.
  WEBHOOK_SECRET_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${webhookSecretKeySecretName}/)'
  // Versionless: the app signs with the newest version and publishes every enabled one (JWKS).
  CASEFILE_SIGNING_KEY_URI: '${keyVault.outputs.uri}keys/${caseFileSigningKeyName}'
  WEBHOOK_ALLOW_LOOPBACK_HTTP: 'false'
  // The runtime's own "your Functions app is up and running" page at / tells a visitor nothing they need.
  AzureWebJobsDisableHomepage: 'true'
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.outputs.id
    keyVaultReferenceIdentityId: identity.outputs.id
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    nodeVersion: '22'
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
    appSettings: appSettings
    corsAllowedOrigins: browserOrigins
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
  // The app starts with its roles in place (host storage, deployment package, telemetry, Key Vault).
  dependsOn: [rbac]
}

module blobTriggerSubscription 'app/blob-trigger-subscription.bicep' = if (deployEventGridSubscription) {
  name: 'blob-trigger-subscription'
  scope: rg
  params: {
    systemTopicName: names.systemTopic
    name: names.blobTriggerSubscription
    functionAppName: names.functionApp
    functionName: evidenceUploadFunctionName
    containerName: blobContainerNames.uploads
    storageAccountName: names.storage
    deadLetterContainerName: deadLetterContainerName
  }
  dependsOn: [eventGrid, api, rbac]
}

// ---------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment)
// ---------------------------------------------------------------------------------------

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = 'https://${api.outputs.defaultHostName}/api'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = eventGrid.outputs.name
output EVIDENCE_CONTAINER_NAME string = blobContainerNames.evidence
// For the postprovision hook, which creates the key.
output CASEFILE_SIGNER_NAME string = caseFileSigningKeyName
output EVENTGRID_SUBSCRIPTION_DEPLOYED bool = deployEventGridSubscription
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
// The console: azd deploys dist/console to it; its build (the prepackage hook) reads the CONSOLE_* values.
output SERVICE_CONSOLE_NAME string = webConsole.outputs.name
output SERVICE_CONSOLE_URI string = webConsole.outputs.origin
output CONSOLE_API_ORIGIN string = 'https://${api.outputs.defaultHostName}'
output CONSOLE_BLOB_ORIGIN string = storage.outputs.blobEndpoint
output CONSOLE_AUTHORITY string = '${environment().authentication.loginEndpoint}${tenant().tenantId}'
output CONSOLE_CLIENT_ID string = consoleClientId
output CONSOLE_API_SCOPE string = consoleApiScope
