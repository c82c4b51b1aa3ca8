// What the first `azd provision` deploys: every default, the required values only.
using '../../../infra/main.bicep'

param environmentName = 'ci'
param location = 'westeurope'
param authAudience = 'api://11111111-2222-3333-4444-555555555555'
