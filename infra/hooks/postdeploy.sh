#!/bin/sh
# azd postdeploy hook: the Event Grid subscription behind the evidence blob trigger can only be
# created once the function is deployed: its blobs_extension webhook key exists, and answers
# Event Grid's validation handshake, only when the host runs a blob trigger with source
# EventGrid. After a deploy, turn the subscription on and provision again.
# By hand: azd env set DEPLOY_EVENTGRID_SUBSCRIPTION true && azd provision
set -eu

if [ "${DEPLOY_EVENTGRID_SUBSCRIPTION:-false}" = "true" ]; then
  echo "Event Grid subscription for the evidence blob trigger: already provisioned."
  exit 0
fi

# With the Azure CLI, check that the key exists first (the host creates it on its first start
# with the trigger), so a deploy without the blob-triggered function does not fail here.
if command -v az >/dev/null 2>&1; then
  found=""
  for attempt in 1 2 3 4 5 6; do
    if [ -n "$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
      --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)" ]; then
      found=yes
      break
    fi
    [ "$attempt" -lt 6 ] && sleep 10
  done
  if [ -z "$found" ]; then
    echo "The app has no blobs_extension key yet (no Event Grid blob trigger running): skipping the"
    echo "Event Grid subscription. Once it has, run: azd env set DEPLOY_EVENTGRID_SUBSCRIPTION true && azd provision"
    exit 0
  fi
fi

echo "Provisioning the Event Grid subscription for the evidence blob trigger (second provision)..."
azd env set DEPLOY_EVENTGRID_SUBSCRIPTION true
azd provision --no-prompt
