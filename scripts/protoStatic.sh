#!/bin/sh
# Regenerates the init-packet code from proto/dfu-cc.proto (static code on protobufjs/minimal,
# so the CLI neither loads protobufjs's parser nor parses the .proto at run time).
# Run after changing the .proto; the output is committed. `npm run proto`.
set -e
cd "$(dirname "$0")/.."
out=src/core/generated
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
opts="-t static-module -w commonjs --no-create --no-verify --no-delimited --no-typeurl --no-service"
npx pbjs $opts -o "$tmp/dfuCc.js" proto/dfu-cc.proto
npx pbts --no-comments -o "$out/dfuCc.d.ts" "$tmp/dfuCc.js"
npx pbjs $opts --no-comments -o "$out/dfuCc.js" proto/dfu-cc.proto
