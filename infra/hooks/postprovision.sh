#!/bin/sh
# azd postprovision hook: creates the key that encrypts webhook signing secrets at rest, once.
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

# Only a successful listing may conclude that the secret is missing (a failed call, e.g. while a
# new role assignment propagates, proves nothing). Role assignments take a minute or two.
attempts=12
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
