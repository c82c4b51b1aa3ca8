metadata description = 'Log Analytics and workspace-based Application Insights. Both refuse key-based ingestion: telemetry is sent with the app\'s managed identity (Monitoring Metrics Publisher).'

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags { *: string }

@description('Days Log Analytics keeps data: who signed a case file, who read a blob, what failed. 90 rather than the 30 included in the ingestion price, so a question asked a season later still has its answer.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 90

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      // Only Entra-authenticated ingestion and queries; the workspace keys are unusable.
      disableLocalAuth: true
    }
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
    // AAD-authenticated ingestion only: the instrumentation key alone cannot send telemetry.
    DisableLocalAuth: true
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('Resource id of the Log Analytics workspace (diagnostic settings send here).')
output logAnalyticsWorkspaceId string = logAnalytics.id

@description('Name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name

@description('Application Insights connection string. Not a secret: with local auth disabled it only names where to send telemetry.')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
