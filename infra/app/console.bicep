metadata description = 'The web console: an Azure Static Web App serving the built files of dist/console (azd deploys them), with the security headers and fallback its staticwebapp.config.json names. It calls the API on the Function App cross-origin (that app\'s CORS allows this origin) and signs in with Entra ID.'

@description('Static Web App name.')
param name string

@description('Region of the Static Web App\'s control plane (the files are served from a global edge). Static Web Apps exist in a few regions only.')
@allowed(['westus2', 'centralus', 'eastus2', 'westeurope', 'eastasia'])
param location string

@description('Tags for the resource.')
param tags { *: string }

@description('The azd service this app hosts (azure.yaml services.<name>).')
param serviceName string

@description('Free: no cost, two custom domains, no SLA. Standard: an SLA, more custom domains, private endpoints.')
@allowed(['Free', 'Standard'])
param skuName string

resource site 'Microsoft.Web/staticSites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  sku: {
    name: skuName
    tier: skuName
  }
  properties: {
    // azd uploads the built files: no GitHub or Azure DevOps connection, no build on the platform.
    provider: 'None'
    // No pull-request preview environments (each would be another origin, unknown to CORS and to Entra ID).
    stagingEnvironmentPolicy: 'Disabled'
    allowConfigFileUpdates: true
    publicNetworkAccess: 'Enabled'
  }
}

@description('Static Web App name.')
output name string = site.name

@description('The console\'s origin, https://<generated-name>.azurestaticapps.net.')
output origin string = 'https://${site.properties.defaultHostname}'
