#!/usr/bin/env bash
# Syntax check of every Mermaid diagram in docs/ (what GitHub renders), with the mermaid package
# from npm under jsdom. Installs its two packages on first use.
set -euo pipefail
cd "$(dirname "$0")/mermaid-check"
if [ ! -d node_modules/mermaid ]; then
  npm install --silent --no-audit --no-fund >/dev/null
fi
node check.mjs ../../docs/*.md
