#!/usr/bin/env bash
# Seed 001's curl + jq example, verbatim but for the host and the token:
# fetch the configuration, set .settings.is_active = true, PUT it back.
set -euo pipefail
: "${BATON_URL:?}" "${API_TOKEN:?}"

# First, fetch the current configuration
CONFIG=$(curl -s $BATON_URL/v1/api/human_handoff/configuration \
  -H "Authorization: Bearer $API_TOKEN")

# Modify and PUT back (example: enable handoff)
echo "$CONFIG" | jq '.settings.is_active = true' | \
curl -X PUT $BATON_URL/v1/api/human_handoff/configuration \
  -H "Authorization: Bearer $API_TOKEN" \
  -H 'Content-Type: application/json' \
  -d @-
