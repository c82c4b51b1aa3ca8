metadata description = 'The storage account: host storage for the Functions runtime (identity-based AzureWebJobsStorage), the deployment package, and the app\'s blob containers. Shared keys are disabled: every caller authenticates with Entra ID.'

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags { *: string }

@description('Replication. Standard_ZRS or a geo-redundant SKU for production evidence.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS', 'Standard_RAGRS', 'Standard_RAGZRS'])
param skuName string

@description('The blob containers the code uses (shared/adapters/cosmos-containers.ts blobContainers).')
param appContainerNames string[]

@description('The container whose blobs can never be overwritten and not be deleted for immutabilityDays after upload.')
param immutableContainerName string

@description('Time-based retention of the immutable container, in days since each blob was created.')
@minValue(1)
@maxValue(146000)
param immutabilityDays int

@description('True once the policy has been locked outside Bicep (README "Deploy to Azure"): a locked policy can only be extended with `az storage container immutability-policy extend`, so the template stops managing it.')
param immutabilityPolicyLocked bool

@description('The container of append blobs that may only grow (the audit digests): records are appended, never changed, and no blob is deleted for appendOnlyDays after it was created.')
param appendOnlyContainerName string

@description('Time-based retention of the append-only container, in days since each blob was created.')
@minValue(1)
@maxValue(146000)
param appendOnlyDays int

@description('True once that policy has been locked outside Bicep; the template then stops managing it.')
param appendOnlyPolicyLocked bool

@description('Container for the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Container where Event Grid dead-letters blob events it could not deliver.')
param deadLetterContainerName string

@description('Containers whose previous blob versions are deleted after previousVersionRetentionDays, so a deleted or moved blob really goes (retention and erasure).')
param versionCleanupContainerNames string[]

@description('The container of built case files, which copy events and evidence: deleted after caseFileLifetimeDays.')
param caseFileContainerName string

@description('Days a built case file is kept (the app refuses to hand it out after its expiresAt, a day earlier).')
@minValue(1)
param caseFileLifetimeDays int

@description('Days a previous blob version is kept in versionCleanupContainerNames.')
@minValue(1)
param previousVersionRetentionDays int

@description('Days deleted blobs and containers can be restored (soft delete).')
@minValue(1)
@maxValue(365)
param softDeleteDays int

@description('Browser origins allowed to PUT uploads to a SAS URL and GET content (CORS): the console\'s, and any other named.')
@minLength(1)
param corsAllowedOrigins string[]

@description('Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

var allContainerNames = union(appContainerNames, [deploymentContainerName, deadLetterContainerName])

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    // Identity only: no account keys, no account SAS, no service SAS signed with a key.
    // (User-delegation SAS, signed with the app identity's delegation key, still works.)
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowedCopyScope: 'AAD'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    dnsEndpointType: 'Standard'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    cors: {
      corsRules: [
        {
          allowedOrigins: corsAllowedOrigins
          allowedMethods: ['GET', 'HEAD', 'PUT']
          allowedHeaders: ['content-type', 'content-length', 'content-md5', 'x-ms-*']
          exposedHeaders: ['etag', 'x-ms-*']
          maxAgeInSeconds: 3600
        }
        // Reading through a SAS from any origin: the console loads an evidence image by following the API's
        // 302 (GET /evidence/{id}/content), and a redirect from the API's origin to storage's sends
        // `Origin: null` (the Fetch standard's tainted origin), which no list of origins matches. Reads
        // only; the URL's SAS (read-only, at most 5 minutes) is what grants them.
        {
          allowedOrigins: ['*']
          allowedMethods: ['GET', 'HEAD']
          allowedHeaders: ['x-ms-*']
          exposedHeaders: ['etag', 'content-type', 'content-length', 'x-ms-*']
          maxAgeInSeconds: 3600
        }
      ]
    }
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

@description('Queues the app reads with queue triggers (their poison queues the runtime creates).')
param queueNames string[] = []

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for containerName in allContainerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

// Container-level WORM: a blob in this container can never be overwritten, and cannot be
// deleted until immutabilityDays after it was written. Unlocked until someone locks it.
resource immutabilityPolicy 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = if (!immutabilityPolicyLocked) {
  parent: containers[indexOf(allContainerNames, immutableContainerName)]
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: immutabilityDays
    allowProtectedAppendWrites: false
    allowProtectedAppendWritesAll: false
  }
}

// The same for the audit digests, with protected appends: a digest blob grows by one record a day
// and cannot be rewritten or deleted, even by the app's own identity, so it anchors the chain.
resource appendOnlyPolicy 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = if (!appendOnlyPolicyLocked) {
  parent: containers[indexOf(allContainerNames, appendOnlyContainerName)]
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: appendOnlyDays
    allowProtectedAppendWrites: true
    allowProtectedAppendWritesAll: false
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-previous-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: [for containerName in versionCleanupContainerNames: '${containerName}/']
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: previousVersionRetentionDays
                }
              }
            }
          }
        }
        {
          name: 'delete-expired-case-files'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${caseFileContainerName}/']
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: caseFileLifetimeDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [containers]
}

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

@description('Storage account name.')
output name string = storage.name

@description('Storage account resource id.')
output id string = storage.id

@description('Blob endpoint, e.g. https://<name>.blob.core.windows.net/.')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

@description('Queue endpoint.')
output queueEndpoint string = storage.properties.primaryEndpoints.queue
