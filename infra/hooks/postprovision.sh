#!/bin/sh
# azd postprovision hook: creates the key that signs case files (below) and the key that encrypts
# webhook signing secrets at rest, each once.
# The app reads it as WEBHOOK_SECRET_KEY through a Key Vault reference (infra/main.bicep). The
# template cannot create it (a deployment cannot generate a secret without replacing it on every
# run) and this hook never replaces it: a new key would make every stored subscription secret
# unreadable. Rotating it means re-encrypting the stored secrets (README "Deploy to Azure").
# It runs as the Azure CLI's signed-in account, which needs Key Vault Secrets Officer on the vault
# (the template grants it to the principal running azd provision, AZURE_PRINCIPAL_ID).
# By hand: azd hooks run postprovision
set -eu

SECRET_NAME=webhook-secret-key
vault="${AZURE_KEY_VAULT_NAME:-}"
if [ -z "$vault" ]; then
  echo "AZURE_KEY_VAULT_NAME is not set in the azd environment: run azd provision first." >&2
  exit 1
fi
if ! command -v az >/dev/null 2>&1; then
  echo "The Azure CLI (az) is needed to create the webhook secret key in Key Vault $vault." >&2
  echo "Install it, az login, then run: azd hooks run postprovision" >&2
  exit 1
fi

errors=$(mktemp)
trap 'rm -f "$errors"' EXIT

# The deployer needs Key Vault Crypto Officer and Secrets Officer on the vault for this hook only
# (the template grants them to AZURE_PRINCIPAL_ID). Once it is done they are removed, so no person
# or pipeline that ran a provision keeps the right to sign case files (evidence for a prosecution)
# or to read the webhook key; the next azd provision grants them again for its own run.
drop_deployer_roles() {
  principal="${AZURE_PRINCIPAL_ID:-}"
  if [ -z "$principal" ] || [ -z "${AZURE_SUBSCRIPTION_ID:-}" ] || [ -z "${AZURE_RESOURCE_GROUP:-}" ]; then
    echo "warning: AZURE_PRINCIPAL_ID, AZURE_SUBSCRIPTION_ID or AZURE_RESOURCE_GROUP is not set: the deployer's Key Vault roles were left in place." >&2
    return 0
  fi
  scope="/subscriptions/$AZURE_SUBSCRIPTION_ID/resourceGroups/$AZURE_RESOURCE_GROUP/providers/Microsoft.KeyVault/vaults/$vault"
  for role in "Key Vault Crypto Officer" "Key Vault Secrets Officer"; do
    if ! az role assignment delete --assignee "$principal" --role "$role" --scope "$scope" --output none 2>"$errors"; then
      cat "$errors" >&2
      echo "warning: could not remove $role on Key Vault $vault from $principal; remove it by hand:" >&2
      echo "  az role assignment delete --assignee $principal --role \"$role\" --scope $scope" >&2
    fi
  done
}

attempts=12

# The key that signs case files (ES256 on P-256, not exportable; the app signs through Key Vault
# and never holds it). Created here once, as Azure RBAC lets a template create a key only for a
# deployer who already holds a data-plane role; its rotation policy (a new version every year, each
# version expiring after two) is applied on every run, which is idempotent. The app publishes
# every enabled version (GET /api/v1/.well-known/signing-keys), so files signed before a rotation
# still verify. Needs Key Vault Crypto Officer on the vault (granted to AZURE_PRINCIPAL_ID).
SIGNING_KEY_NAME="${CASEFILE_SIGNER_NAME:-casefile-signing}"
attempt=1
while :; do
  if keys=$(az keyvault key list --vault-name "$vault" --query "[].name" -o tsv 2>"$errors"); then
    break
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    cat "$errors" >&2
    echo "Could not list the keys of Key Vault $vault. The account az is signed in to needs Key Vault" >&2
    echo "Crypto Officer on it (azd grants it to AZURE_PRINCIPAL_ID). Then run: azd hooks run postprovision" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 10
done
if printf '%s\n' "$keys" | tr -d '\r' | grep -qx "$SIGNING_KEY_NAME"; then
  echo "Case-file signing key: $SIGNING_KEY_NAME already exists in Key Vault $vault, left as it is."
else
  echo "Creating the case-file signing key $SIGNING_KEY_NAME in Key Vault $vault (EC P-256, sign and verify)..."
  az keyvault key create --vault-name "$vault" --name "$SIGNING_KEY_NAME" --kty EC --curve P-256 --ops sign verify --output none
fi
policy=$(mktemp)
cat >"$policy" <<'JSON'
{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P1Y"},"action":{"type":"Rotate"}},{"trigger":{"timeBeforeExpiry":"P30D"},"action":{"type":"Notify"}}],"attributes":{"expiryTime":"P2Y"}}
JSON
az keyvault key rotation-policy update --vault-name "$vault" --name "$SIGNING_KEY_NAME" --value "$policy" --output none
rm -f "$policy"

# Only a successful listing may conclude that the secret is missing (a failed call, e.g. while a
# new role assignment propagates, proves nothing). Role assignments take a minute or two.
attempt=1
while :; do
  if names=$(az keyvault secret list --vault-name "$vault" --query "[].name" -o tsv 2>"$errors"); then
    break
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    cat "$errors" >&2
    echo "Could not list the secrets of Key Vault $vault. The account az is signed in to needs Key Vault" >&2
    echo "Secrets Officer on it (azd grants it to AZURE_PRINCIPAL_ID). Then run: azd hooks run postprovision" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 10
done

if printf '%s\n' "$names" | tr -d '\r' | grep -qx "$SECRET_NAME"; then
  echo "Webhook secret key: $SECRET_NAME already exists in Key Vault $vault, left as it is."
  drop_deployer_roles
  exit 0
fi

echo "Creating the webhook secret key $SECRET_NAME in Key Vault $vault (32 random bytes, base64)..."
if ! key=$(openssl rand -base64 32) || [ -z "$key" ]; then
  echo "openssl is needed to generate the key. Install it, then run: azd hooks run postprovision" >&2
  exit 1
fi
if ! az keyvault secret set --vault-name "$vault" --name "$SECRET_NAME" --value "$key" \
  --content-type "base64 AES-256 key" --output none; then
  echo "Could not create $SECRET_NAME. If Key Vault says it is deleted but recoverable, recover it" >&2
  echo "(a new key cannot decrypt the stored secrets): az keyvault secret recover --vault-name $vault --name $SECRET_NAME" >&2
  exit 1
fi
echo "Created $SECRET_NAME. It is never rotated automatically."
drop_deployer_roles
