metadata description = 'Cosmos DB for NoSQL: the account (keys disabled), the database and one container per entry of the code\'s containerDefinitions, with the same partition keys.'

@description('Cosmos DB account name.')
param accountName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags { *: string }

@description('Database name (COSMOS_DATABASE).')
param databaseName string

@description('A composite index: the paths a query orders by, in order.')
type compositeIndex = { path: string, order: ('ascending' | 'descending') }[]

@description('A container as the code defines it (shared/adapters/cosmos-containers.ts ContainerDefinition).')
type containerDefinition = {
  id: string
  partitionKey: string
  @description('Set on a sharded container: its key is hierarchical, [partitionKey, shardKey] (docs/decisions/0004).')
  shardKey: string?
  compositeIndexes: compositeIndex[]?
}

@description('The containers the code uses: shared/adapters/cosmos-containers.ts containerDefinitions.')
param containers containerDefinition[]

@description('serverless: pay per request, nothing at idle. autoscale: provisioned throughput shared by the database\'s containers, scaling between 10% and 100% of autoscaleMaxThroughput.')
@allowed(['serverless', 'autoscale'])
param capacityMode string

@description('Autoscale maximum RU/s for the database (autoscale only).')
@minValue(1000)
@maxValue(1000000)
param autoscaleMaxThroughput int

@description('Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    // Entra ID only: the primary and secondary keys cannot be used for data access, and
    // databases and containers are changed through Resource Manager (this template) only.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    // Point-in-time restore for a week (the seven-day tier is free): a wrong sweep, a bad migration
    // or a deletion found the next day can be undone. Erased data stays restorable that long.
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous7Days'
      }
    }
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: capacityMode == 'serverless' ? [{ name: 'EnableServerless' }] : []
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    // Autoscale throughput is set on the database and shared by its containers.
    options: capacityMode == 'autoscale' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for container in containers: {
    parent: database
    name: container.id
    properties: {
      resource: {
        id: container.id
        partitionKey: {
          paths: container.?shardKey == null ? [container.partitionKey] : [container.partitionKey, container.shardKey!]
          kind: container.?shardKey == null ? 'Hash' : 'MultiHash'
          version: 2
        }
        // The default policy (index every path), plus the composite indexes the code's
        // multi-property ORDER BY queries need.
        indexingPolicy: {
          indexingMode: 'consistent'
          automatic: true
          includedPaths: [{ path: '/*' }]
          excludedPaths: [{ path: '/"_etag"/?' }]
          compositeIndexes: container.?compositeIndexes ?? []
        }
      }
    }
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Requests'
        enabled: true
      }
    ]
  }
}

@description('Account name.')
output accountName string = account.name

@description('Account endpoint (COSMOS_ENDPOINT).')
output endpoint string = account.properties.documentEndpoint

@description('Database name.')
output databaseName string = database.name

@description('Names of the containers created.')
output containerNames string[] = [for (container, i) in containers: sqlContainers[i].name]
