#!/usr/bin/env bash
# Checks what can be checked here without a Docker engine: nginx syntax and the systemd unit.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# nginx -t needs the certificate files: make throwaway ones.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$tmp/key" -out "$tmp/crt" 2>/dev/null
sed -e "s#/etc/ssl/certs/paceline.crt#$tmp/crt#" -e "s#/etc/ssl/private/paceline.key#$tmp/key#" nginx-paceline.conf > "$tmp/site.conf"
printf 'events {}\nhttp {\n include %s;\n}\n' "$tmp/site.conf" > "$tmp/nginx.conf"
nginx -t -c "$tmp/nginx.conf" -p "$tmp"
# systemd-analyze verify wants the binary to exist; point it at a stand-in.
mkdir -p "$tmp/opt/paceline/bin"
sed -e "s#/opt/paceline/bin/paceline#/bin/true#g" paceline.service > "$tmp/paceline.service"
systemd-analyze verify "$tmp/paceline.service"
echo "deploy check: nginx site and systemd unit OK"
