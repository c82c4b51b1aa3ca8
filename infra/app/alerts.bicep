metadata description = 'What tells an operator that something failed where no client sees it: evidence events dead-lettered, Cosmos DB throttling, failed function runs (timers, queues, 5xx), messages moved to a poison queue. Each alert goes to one action group.'

@description('Tags for the resources.')
param tags { *: string }

@description('Email addresses told when an alert fires (none: the alerts still fire in the portal and Azure Monitor).')
param alertEmails string[]

@description('Log Analytics workspace of the workspace-based Application Insights (its AppRequests and AppTraces tables).')
param logAnalyticsWorkspaceId string

@description('Azure region of the workspace (log alerts live beside it).')
param location string

@description('Name of the Cosmos DB account.')
param cosmosAccountName string

@description('Name of the Event Grid system topic that drives the evidence blob trigger.')
param systemTopicName string

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-daybreak-operators'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'daybreak'
    enabled: true
    emailReceivers: [
      for (address, i) in alertEmails: {
        name: 'operator-${i}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

// An evidence upload whose event could not be delivered to the processor stays pending: the
// file is neither hashed nor scanned, and nobody sees why.
resource deadLettered 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'evidence-events-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Blob events the evidence processor never received (dead-lettered): evidence stays pending.'
    severity: 1
    enabled: true
    scopes: [topic.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'dead-lettered'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          metricName: 'DeadLetteredCount'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [{ actionGroupId: operators.id }]
  }
}

// Clients see these as 503 with Retry-After (PRODUCT §10b); sustained, the capacity is too small.
resource throttled 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'cosmos-throttled'
  location: 'global'
  tags: tags
  properties: {
    description: 'Cosmos DB answered 429 to more than 100 requests in 15 minutes: capacity is short, and clients are being told to retry.'
    severity: 2
    enabled: true
    scopes: [cosmos.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'throttled'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.DocumentDB/databaseAccounts'
          metricName: 'TotalRequests'
          dimensions: [{ name: 'StatusCode', operator: 'Include', values: ['429'] }]
          operator: 'GreaterThan'
          threshold: 100
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [{ actionGroupId: operators.id }]
  }
}

var logAlerts = [
  {
    name: 'function-runs-failed'
    description: 'A function run failed: a 5xx other than 503 (a bug), or a timer or queue run that threw (retention, audit digests, the audit outbox, matching, webhooks).'
    severity: 1
    query: 'AppRequests | where Success == false and ResultCode != "503"'
  }
  {
    name: 'messages-poisoned'
    description: 'A queue message failed five times and was moved to its poison queue: its work (a match, a webhook, a case file) is not done.'
    severity: 1
    query: 'AppTraces | where Message has "poison"'
  }
]

resource logAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in logAlerts: {
    name: alert.name
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [logAnalyticsWorkspaceId]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [operators.id]
      }
    }
  }
]

@description('Resource id of the action group the alerts notify.')
output actionGroupId string = operators.id
