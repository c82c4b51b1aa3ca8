// The second provision (after the code is deployed), with the options a user may change.
using '../../../infra/main.bicep'

param environmentName = 'ci'
param location = 'westeurope'
param authAudience = 'api://11111111-2222-3333-4444-555555555555'
param deployEventGridSubscription = true
param cosmosCapacityMode = 'autoscale'
param cosmosAutoscaleMaxThroughput = 4000
param evidenceImmutabilityDays = 90
param uploadCorsAllowedOrigins = 'https://app.example.com, https://admin.example.com'
// azd always passes the signed-in principal (AZURE_PRINCIPAL_ID).
param principalId = '99999999-8888-7777-6666-555555555555'
param alertEmails = 'ops@example.com, oncall@example.com'
