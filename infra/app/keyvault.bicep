metadata description = 'The Key Vault holding the AES-256 key that encrypts webhook signing secrets at rest (created once by the postprovision hook, never by this template) and the ES256 key that signs case files (created here; it never leaves the vault). Azure RBAC only (no access policies), soft delete and purge protection.'

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

@description('Name of the key that signs case files (ES256, P-256).')
param caseFileSigningKeyName string

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

// The case-file signing key: P-256 for ES256, sign and verify only, never exportable. ARM creates
// the first version once and leaves an existing key as it is; the rotation policy makes a new
// version every year, and the app publishes every enabled version so older case files still verify.
resource caseFileSigningKey 'Microsoft.KeyVault/vaults/keys@2024-11-01' = {
  parent: vault
  name: caseFileSigningKeyName
  tags: tags
  properties: {
    kty: 'EC'
    curveName: 'P-256'
    keyOps: ['sign', 'verify']
    attributes: {
      enabled: true
      exportable: false
    }
    rotationPolicy: {
      attributes: {
        expiryTime: 'P2Y'
      }
      lifetimeActions: [
        {
          trigger: { timeAfterCreate: 'P1Y' }
          action: { type: 'rotate' }
        }
        {
          trigger: { timeBeforeExpiry: 'P30D' }
          action: { type: 'notify' }
        }
      ]
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

@description('The case-file signing key, versionless (https://<vault>.vault.azure.net/keys/<name>).')
output caseFileSigningKeyUri string = caseFileSigningKey.properties.keyUri
