metadata description = 'Every role assignment, named with guid() so re-deployment is idempotent. Each is the narrowest built-in role, at the narrowest scope, that the caller needs; the comment on each says why.'

@description('Name of the Function App\'s user-assigned identity.')
param appIdentityName string

@description('Name of the storage account.')
param storageAccountName string

@description('Name of the Cosmos DB account.')
param cosmosAccountName string

@description('Name of the Cosmos DB database the app uses.')
param cosmosDatabaseName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Name of the Event Grid system topic (its system-assigned identity dead-letters events).')
param eventGridSystemTopicName string

@description('Container that receives dead-lettered Event Grid events.')
param deadLetterContainerName string

@description('Name of the Key Vault holding the webhook secret key.')
param keyVaultName string

@description('Object id of the principal running azd provision (AZURE_PRINCIPAL_ID). Empty: no role for it.')
param deployerPrincipalId string

@description('Type of that principal: User locally, ServicePrincipal in a pipeline.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param deployerPrincipalType string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  keyVaultCryptoOfficer: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}
// Cosmos DB data-plane role, defined inside every account.
var cosmosBuiltInDataContributor = '00000000-0000-0000-0000-000000000002'
var cosmosDatabaseScope = '${cosmos.id}/dbs/${cosmosDatabaseName}'

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: appIdentityName
}

resource eventGridTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: eventGridSystemTopicName
}

// Assignment names derive from resource ids, which are known before deployment.
var appPrincipalId = appIdentity.properties.principalId
var eventGridPrincipalId = eventGridTopic.identity.principalId

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = {
  parent: blobService
  name: deadLetterContainerName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource keyVault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

// App identity → Storage Blob Data Owner on the account. The Functions host uses this
// account as AzureWebJobsStorage: it creates and leases its own containers
// (azure-webjobs-hosts, azure-webjobs-secrets), and Microsoft documents Blob Data Owner for
// identity-based host storage and for the blob trigger. The same identity reads the Flex
// deployment package, moves uploads to evidence or quarantine, writes audit digests, and
// gets user-delegation keys for the upload and download SAS URLs.
resource appBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appIdentity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Daybreak app: identity-based AzureWebJobsStorage, blob trigger, app blob containers, user-delegation SAS.'
  }
}

// App identity → Storage Queue Data Contributor on the account: the blob trigger's poison
// queue, the app's queue-triggered work and the queues it writes to (AzureWebJobsStorage__queueServiceUri).
resource appQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appIdentity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Daybreak app: queue triggers, the blob trigger poison queue, queue messages.'
  }
}

// App identity → Monitoring Metrics Publisher on Application Insights: with local auth
// disabled, telemetry is accepted only from an Entra identity holding this role.
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appIdentity.id, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Daybreak app: AAD-authenticated Application Insights ingestion.'
  }
}

// Event Grid system topic identity → Storage Blob Data Contributor on the dead-letter
// container only: it writes events it could not deliver there, and can touch nothing else.
resource eventGridDeadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetterContainer.id, eventGridTopic.id, roles.storageBlobDataContributor)
  scope: deadLetterContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: eventGridPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Event Grid: dead-letter undeliverable blob events.'
  }
}

// App identity → Cosmos DB Built-in Data Contributor (data plane), scoped to the daybreak
// database rather than the account: read and write items in its containers. It cannot
// create or delete databases or containers (this template does that) or read keys.
resource appCosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmosDatabaseScope, appIdentity.id, cosmosBuiltInDataContributor)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosBuiltInDataContributor}'
    principalId: appPrincipalId
    // Data-plane scopes are paths under the account: /dbs/<database>[/colls/<container>].
    scope: cosmosDatabaseScope
  }
}

// App identity → Key Vault Secrets User on the vault: read secret values, which the Function
// App does for the WEBHOOK_SECRET_KEY Key Vault reference (keyVaultReferenceIdentity is this
// identity). It cannot list, write or delete secrets.
resource appKeyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, appIdentity.id, roles.keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Daybreak app: read the webhook secret key through a Key Vault reference.'
  }
}

// App identity → Key Vault Crypto User on the vault: read public keys and their versions, and sign
// with them (the case-file signing key, the only key there). It cannot create, import, export or
// delete keys, and the private key never leaves the vault.
resource appKeyVaultCryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, appIdentity.id, roles.keyVaultCryptoUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Daybreak app: sign case files with the Key Vault key (sign and read public keys only).'
  }
}

// The principal running azd provision → Key Vault Crypto Officer on the vault only: the
// postprovision hook creates the case-file signing key once and sets its rotation policy, then
// removes this assignment (no deployer keeps the right to sign case files).
resource deployerKeyVaultCryptoOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(keyVault.id, deployerPrincipalId, roles.keyVaultCryptoOfficer)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoOfficer)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    description: 'Deployer (azd): create the case-file signing key once and set its rotation policy in the postprovision hook.'
  }
}

// The principal running azd provision → Key Vault Secrets Officer on the vault only: the
// postprovision hook creates the webhook secret key once (the template never writes it), then
// removes this assignment.
resource deployerKeyVaultSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(keyVault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    description: 'Deployer (azd): create the webhook secret key once in the postprovision hook.'
  }
}
