#!/usr/bin/env bash
# Generates Sandbank's client SDKs from openapi/openapi.json into target/sdk/ (outside the source
# tree) and type-checks the two end-to-end programs in sdk/ against them:
#   target/sdk/python/sandbank_client   openapi-python-client; sdk/python/flow.py under mypy --strict
#                                       (the generated package is followed silently: its own code is not ours to fix)
#   target/sdk/typescript/sandbank.ts   openapi-typescript (--enum) for openapi-fetch;
#                                       sdk/typescript/flow.ts under tsc --strict, built to target/sdk/typescript/out
# The generators are pinned and installed into target/sdk-tools on first use. Any generator
# warning fails the run. The programs themselves run against a server in
# crates/server/tests/api/sdk_clients.rs (SANDBANK_SDK_DIR=target/sdk).
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS="$PWD/target/sdk-tools"
OUT="$PWD/target/sdk"
VENV="$TOOLS/venv"
NODE="$TOOLS/node"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
  openapi-python-client==0.29.1 ruff==0.17.6 mypy==2.4.1 httpx==0.28.1 attrs==26.1.0 python-dateutil==2.9.0.post0
if [ ! -d "$NODE/node_modules/openapi-typescript" ]; then
  mkdir -p "$NODE"
  npm install --prefix "$NODE" --silent --no-audit --no-fund \
    openapi-typescript@7.13.0 openapi-fetch@0.17.0 typescript@5.9.3 @types/node@22
fi
export PATH="$VENV/bin:$NODE/node_modules/.bin:$PATH"

rm -rf "$OUT/python" "$OUT/typescript"
mkdir -p "$OUT/python" "$OUT/typescript"

echo "==> Python client (openapi-python-client)"
openapi-python-client generate --path openapi/openapi.json --config sdk/python/generator.yaml \
  --meta none --output-path "$OUT/python/sandbank_client" 2>&1 | tee "$OUT/python-generator.log"
if grep -qi "warning" "$OUT/python-generator.log"; then
  echo "FATAL: openapi-python-client warned (see above)" >&2
  exit 1
fi

echo "==> TypeScript types (openapi-typescript --enum)"
openapi-typescript openapi/openapi.json --enum --output "$OUT/typescript/sandbank.ts" 2>&1 | tee "$OUT/typescript-generator.log"
if grep -qiE "warn|error" "$OUT/typescript-generator.log"; then
  echo "FATAL: openapi-typescript warned (see above)" >&2
  exit 1
fi

echo "==> mypy --strict sdk/python/flow.py"
MYPYPATH="$OUT/python" mypy --strict --follow-imports=silent --cache-dir "$OUT/mypy-cache" sdk/python/flow.py

echo "==> tsc --strict sdk/typescript/flow.ts"
cp sdk/typescript/flow.ts "$OUT/typescript/flow.ts"
echo '{"type": "module"}' > "$OUT/typescript/package.json"
ln -sfn "$NODE/node_modules" "$OUT/typescript/node_modules"
(cd "$OUT/typescript" && tsc --strict --noEmitOnError --target es2022 --module nodenext \
  --moduleResolution nodenext --types node --outDir out flow.ts)
echo "generated and type-checked: $OUT (0 generator warnings)"
