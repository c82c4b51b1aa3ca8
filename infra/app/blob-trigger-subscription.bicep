metadata description = 'The Event Grid subscription that delivers BlobCreated events for the uploads container to the Functions blobs_extension webhook (the Flex Consumption blob trigger, source EventGrid). It needs the deployed function: the webhook key exists, and the endpoint answers the validation handshake, only once the app with that blob trigger is running.'

@description('Name of the existing system topic.')
param systemTopicName string

@description('Name of the subscription.')
param name string

@description('Name of the existing Function App.')
param functionAppName string

@description('Name of the blob-triggered function, as the code registers it (app.storageBlob(name, { source: \'EventGrid\', ... })).')
param functionName string

@description('The container whose new blobs trigger the function.')
param containerName string

@description('Name of the existing storage account that receives dead-lettered events.')
param storageAccountName string

@description('Container for dead-lettered events.')
param deadLetterContainerName string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

// The blobs_extension system key of the app's host (Microsoft.Web/sites/host has no Bicep
// types, hence listKeys by id). It is created when the host first starts with a blob trigger
// whose source is EventGrid, which is why this module waits for the deployed function.
var blobsExtensionKey = listKeys('${functionApp.id}/host/default', functionApp.apiVersion).systemKeys.blobs_extension

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: name
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The Functions runtime's blob extension webhook for this one function.
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/'
      isSubjectCaseSensitive: true
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // Events still undelivered after a day are kept, not lost: the upload can be re-driven.
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

@description('Name of the event subscription.')
output name string = subscription.name
