metadata description = 'The Event Grid system topic for the storage account\'s blob events. The subscription that drives the blob trigger is blob-trigger-subscription.bicep, deployed once the function exists.'

@description('System topic name.')
param name string

@description('Azure region (the storage account\'s).')
param location string

@description('Tags for the resources.')
param tags { *: string }

@description('Name of the storage account whose events the topic publishes.')
param storageAccountName string

@description('Log Analytics workspace for diagnostic settings.')
param logAnalyticsWorkspaceId string

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  // Its own identity writes undeliverable events to the dead-letter container (rbac.bicep).
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: topic
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

@description('System topic name.')
output name string = topic.name

@description('Object id of the topic\'s system-assigned identity.')
output principalId string = topic.identity.principalId
