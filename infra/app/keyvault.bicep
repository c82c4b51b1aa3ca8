metadata description = 'The Key Vault holding the AES-256 key that encrypts webhook signing secrets at rest and the ES256 key that signs case files (it never leaves the vault). Both are created once by the postprovision hook, never by this template. Azure RBAC only (no access policies), soft delete and purge protection.'

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags { *: string }

@description('Days a deleted vault or secret stays recoverable (7-90). With purge protection nobody can shorten it.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Data-plane access through Azure RBAC role assignments (infra/app/rbac.bicep) only.
    enableRbacAuthorization: true
    accessPolicies: []
    // Losing the key makes every stored webhook secret unreadable: deleted secrets and the
    // vault stay recoverable, and purge protection stops anyone purging them early.
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    // Like every other service here: the Flex Consumption app has no virtual network.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
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
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

@description('Key Vault name.')
output name string = vault.name

@description('Key Vault resource id.')
output id string = vault.id

@description('Vault URI, with a trailing slash (https://<name>.vault.azure.net/).')
output uri string = vault.properties.vaultUri
