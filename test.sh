#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing.
set -euo pipefail
cd "$(dirname "$0")"

dotnet test tests/Centric.Analytics.Tests -c Release
