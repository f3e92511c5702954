#!/usr/bin/env bash
# Checks what can be checked here without a Docker engine: nginx syntax and the systemd unit.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# nginx -t needs the certificate files: make throwaway ones.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$tmp/key" -out "$tmp/crt" 2>/dev/null
# The site with each of its upstreams: one server (SQLite) and two (PostgreSQL).
for upstream in nginx-paceline-upstream.conf nginx-paceline-upstream-cluster.conf; do
    cp "$upstream" "$tmp/upstream.conf"
    sed -e "s#/etc/ssl/certs/paceline.crt#$tmp/crt#" -e "s#/etc/ssl/private/paceline.key#$tmp/key#" \
        -e "s#/etc/nginx/paceline-upstream.conf#$tmp/upstream.conf#" nginx-paceline.conf > "$tmp/site.conf"
    printf 'events {}\nhttp {\n include %s;\n}\n' "$tmp/site.conf" > "$tmp/nginx.conf"
    nginx -t -c "$tmp/nginx.conf" -p "$tmp"
done
# systemd-analyze verify wants the binary to exist; point it at a stand-in.
mkdir -p "$tmp/opt/paceline/bin"
sed -e "s#/opt/paceline/bin/paceline#/bin/true#g" paceline.service > "$tmp/paceline.service"
systemd-analyze verify "$tmp/paceline.service"
# The template unit, as instance 8081 (its EnvironmentFile made up for the check).
sed -e "s#/opt/paceline/bin/paceline#/bin/true#g" -e "s#/etc/paceline/database.env#$tmp/database.env#" \
    paceline@.service > "$tmp/paceline@.service"
echo "PACELINE_DATABASE_URL=postgres://paceline@127.0.0.1/paceline" > "$tmp/database.env"
(cd "$tmp" && systemd-analyze verify "paceline@8081.service")
echo "deploy check: nginx site with one and two app servers, systemd units OK"
