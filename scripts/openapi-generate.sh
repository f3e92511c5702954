#!/usr/bin/env bash
# Regenerates Sources/PacelineAPI/Generated from the API's one description, Public/api/v1/openapi.json,
# with swift-openapi-generator (built once into .build/openapi-generator). `make openapi` runs it;
# OpenAPIDocumentTests fails when the document changed and this was not run (the stamp differs).
#
# Why the generated code is committed rather than made by the build plugin on every build: the
# plugin builds the generator and OpenAPIKit, Yams and their dependencies first, minutes of every
# clean build (and every CI run) for code that changes only when the document does.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.14.3
spec=Public/api/v1/openapi.json
out=Sources/PacelineAPI/Generated
tool=${OPENAPI_GENERATOR_DIR:-.build/openapi-generator}
if [ ! -x "$tool/.build/release/swift-openapi-generator" ]; then
  rm -rf "$tool"
  git clone -q --depth 1 --branch "$version" https://github.com/apple/swift-openapi-generator "$tool"
  (cd "$tool" && swift build -c release --product swift-openapi-generator)
fi
rm -rf "$out" && mkdir -p "$out"
"$tool/.build/release/swift-openapi-generator" generate \
  --config Sources/PacelineAPI/openapi-generator-config.yaml --output-directory "$out" "$spec"
# The stamp: which document (its SHA-256) and which generator made these files.
printf '%s  %s\nswift-openapi-generator %s\n' "$(sha256sum "$spec" | cut -d' ' -f1)" "$spec" "$version" \
  > "$out/GENERATED-FROM"
