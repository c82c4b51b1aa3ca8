# azd postdeploy hook (Windows): see postdeploy.sh. The Event Grid subscription behind the
# evidence blob trigger needs the deployed function, so it comes in a second provision.
$ErrorActionPreference = 'Stop'

if ($env:DEPLOY_EVENTGRID_SUBSCRIPTION -eq 'true') {
  Write-Host 'Event Grid subscription for the evidence blob trigger: already provisioned.'
  exit 0
}

if (Get-Command az -ErrorAction SilentlyContinue) {
  $found = $false
  for ($attempt = 1; $attempt -le 6; $attempt++) {
    $key = az functionapp keys list -g $env:AZURE_RESOURCE_GROUP -n $env:AZURE_FUNCTION_APP_NAME `
      --query 'systemKeys.blobs_extension' -o tsv 2>$null
    if ($LASTEXITCODE -eq 0 -and $key) { $found = $true; break }
    if ($attempt -lt 6) { Start-Sleep -Seconds 10 }
  }
  if (-not $found) {
    Write-Host 'The app has no blobs_extension key yet (no Event Grid blob trigger running): skipping the'
    Write-Host 'Event Grid subscription. Once it has, run: azd env set DEPLOY_EVENTGRID_SUBSCRIPTION true; azd provision'
    exit 0
  }
}

Write-Host 'Provisioning the Event Grid subscription for the evidence blob trigger (second provision)...'
azd env set DEPLOY_EVENTGRID_SUBSCRIPTION true
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
azd provision --no-prompt
exit $LASTEXITCODE
