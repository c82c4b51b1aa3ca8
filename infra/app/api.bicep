metadata description = 'The Flex Consumption plan and the Function App (Node 22), running as the user-assigned identity. Its deployment package, host storage and every service it calls are reached with that identity; no publishing credentials, no keys.'

@description('Function App name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags { *: string }

@description('The azd service this app hosts (azure.yaml services.<name>).')
param serviceName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Resource id of the user-assigned identity that resolves Key Vault references in app settings (without it the platform would try a system-assigned identity, which the app does not have).')
param keyVaultReferenceIdentityId string

@description('Blob endpoint of the storage account holding the deployment package.')
param storageBlobEndpoint string

@description('Container of the deployment package.')
param deploymentContainerName string

@description('Node.js major version of the Functions runtime.')
@allowed(['22'])
param nodeVersion string

@description('Memory per instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Most instances the app scales out to: a ceiling on cost and on load on Cosmos DB.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Every app setting (main.bicep assembles them).')
param appSettings { *: string }

@description('Browser origins that may call the API (CORS): the web console\'s, which is another origin. Bearer tokens only, no cookies: no credentials.')
param corsAllowedOrigins string[]

@description('Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: keyVaultReferenceIdentityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: appSettings
}

// No FTP or basic-auth SCM publishing: azd deploys with an Entra token.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: functionApp
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

@description('Function App name.')
output name string = functionApp.name

@description('Default host name.')
output defaultHostName string = functionApp.properties.defaultHostName
