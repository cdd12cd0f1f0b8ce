#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh), then starts the platform on http://127.0.0.1:5080 with an
# embedded PostgreSQL (data in artifacts/postgres), an in-process worker and the demo: EmoSynth is
# generated and imported, and a grid of the three baselines is queued (both once; a restart keeps
# what was there). The first start makes the 'demo' admin and prints its generated password once (also
# in artifacts/demo-admin.txt, readable only by you). Ctrl+C stops the web app and its database. Extra arguments go to the web app,
# e.g. --Worker:Slots=2.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
root=$(pwd)
cd Platform.Web
exec dotnet bin/Release/net10.0/EmotionLab.Web.dll --ArtifactRoot "$root/artifacts" --Demo:Enabled=true "$@"
