# azd postprovision hook (Windows): see postprovision.sh. Creates the key that encrypts webhook
# signing secrets at rest (WEBHOOK_SECRET_KEY, a Key Vault reference), once; never replaces it,
# because a new key would make every stored subscription secret unreadable.
# By hand: azd hooks run postprovision
$ErrorActionPreference = 'Stop'

$secretName = 'webhook-secret-key'
$vault = $env:AZURE_KEY_VAULT_NAME
if (-not $vault) {
  Write-Host 'AZURE_KEY_VAULT_NAME is not set in the azd environment: run azd provision first.'
  exit 1
}
if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
  Write-Host "The Azure CLI (az) is needed to create the webhook secret key in Key Vault $vault."
  Write-Host 'Install it, az login, then run: azd hooks run postprovision'
  exit 1
}

$attempts = 12

# The key that signs case files (ES256 on P-256, not exportable): created once, its rotation policy
# applied on every run. See postprovision.sh. Needs Key Vault Crypto Officer on the vault.
$signingKeyName = if ($env:CASEFILE_SIGNER_NAME) { $env:CASEFILE_SIGNER_NAME } else { 'casefile-signing' }
$keysListed = $false
for ($attempt = 1; $attempt -le $attempts; $attempt++) {
  $keyNames = az keyvault key list --vault-name $vault --query '[].name' -o tsv 2>$null
  if ($LASTEXITCODE -eq 0) { $keysListed = $true; break }
  if ($attempt -lt $attempts) { Start-Sleep -Seconds 10 }
}
if (-not $keysListed) {
  Write-Host "Could not list the keys of Key Vault $vault. The account az is signed in to needs Key Vault"
  Write-Host 'Crypto Officer on it (azd grants it to AZURE_PRINCIPAL_ID). Then run: azd hooks run postprovision'
  exit 1
}
if (@($keyNames | ForEach-Object { "$_".Trim() }) -contains $signingKeyName) {
  Write-Host "Case-file signing key: $signingKeyName already exists in Key Vault $vault, left as it is."
} else {
  Write-Host "Creating the case-file signing key $signingKeyName in Key Vault $vault (EC P-256, sign and verify)..."
  az keyvault key create --vault-name $vault --name $signingKeyName --kty EC --curve P-256 --ops sign verify --output none
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}
$policy = New-TemporaryFile
Set-Content -Path $policy -Value '{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P1Y"},"action":{"type":"Rotate"}},{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P2Y"}}'
az keyvault key rotation-policy update --vault-name $vault --name $signingKeyName --value $policy --output none
$rotationExit = $LASTEXITCODE
Remove-Item $policy
if ($rotationExit -ne 0) { exit $rotationExit }

# Only a successful listing may conclude that the secret is missing (a failed call, e.g. while a
# new role assignment propagates, proves nothing). Role assignments take a minute or two.
$listed = $false
for ($attempt = 1; $attempt -le $attempts; $attempt++) {
  $names = az keyvault secret list --vault-name $vault --query '[].name' -o tsv 2>$null
  if ($LASTEXITCODE -eq 0) { $listed = $true; break }
  if ($attempt -lt $attempts) { Start-Sleep -Seconds 10 }
}
if (-not $listed) {
  Write-Host "Could not list the secrets of Key Vault $vault. The account az is signed in to needs Key Vault"
  Write-Host 'Secrets Officer on it (azd grants it to AZURE_PRINCIPAL_ID). Then run: azd hooks run postprovision'
  exit 1
}

if (@($names | ForEach-Object { "$_".Trim() }) -contains $secretName) {
  Write-Host "Webhook secret key: $secretName already exists in Key Vault $vault, left as it is."
  exit 0
}

Write-Host "Creating the webhook secret key $secretName in Key Vault $vault (32 random bytes, base64)..."
$bytes = New-Object byte[] 32
$rng = [System.Security.Cryptography.RandomNumberGenerator]::Create()
try { $rng.GetBytes($bytes) } finally { $rng.Dispose() }
$key = [Convert]::ToBase64String($bytes)
az keyvault secret set --vault-name $vault --name $secretName --value $key `
  --content-type 'base64 AES-256 key' --output none
if ($LASTEXITCODE -ne 0) {
  Write-Host "Could not create $secretName. If Key Vault says it is deleted but recoverable, recover it"
  Write-Host "(a new key cannot decrypt the stored secrets): az keyvault secret recover --vault-name $vault --name $secretName"
  exit $LASTEXITCODE
}
Write-Host "Created $secretName. It is never rotated automatically."
