# Seed 001's Python `requests` example, verbatim but for the host and the token.
import json
import os
import sys

import requests

BASE = os.environ["BATON_URL"]
headers = {"Authorization": f"Bearer {os.environ['API_TOKEN']}"}

# Fetch current configuration
config = requests.get(
    url=f"{BASE}/v1/api/human_handoff/configuration",
    headers=headers,
).json()

# Modify and PUT back
config["settings"]["is_active"] = True

response = requests.put(
    url=f"{BASE}/v1/api/human_handoff/configuration",
    headers=headers,
    json=config,
)
data = response.json()

if response.status_code != 200:
    sys.exit(f"PUT failed with {response.status_code}: {data}")
json.dump(data, sys.stdout)
