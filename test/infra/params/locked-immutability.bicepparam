// After the evidence and audit digest immutability policies have been locked with the CLI.
using '../../../infra/main.bicep'

param environmentName = 'ci'
param location = 'westeurope'
param authAudience = 'api://11111111-2222-3333-4444-555555555555'
param evidenceImmutabilityPolicyLocked = true
param auditDigestImmutabilityPolicyLocked = true
// azd always passes the signed-in principal (AZURE_PRINCIPAL_ID).
param principalId = '99999999-8888-7777-6666-555555555555'
