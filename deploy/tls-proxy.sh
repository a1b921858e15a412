#!/bin/sh
# The tls profile's Caddy (docker-compose.yml). It refuses to start while the app's plain-HTTP port
# is published beyond the host (APP_PUBLISH_ADDRESS in .env): the portal must be reached through it.
case "${APP_PUBLISH_ADDRESS:-0.0.0.0}" in
  127.0.0.1 | ::1 | localhost) ;;
  *)
    echo "tls profile: set APP_PUBLISH_ADDRESS=127.0.0.1 in .env (it is ${APP_PUBLISH_ADDRESS:-0.0.0.0}): the portal would stay reachable on plain HTTP from the network" >&2
    exit 1
    ;;
esac
exec caddy reverse-proxy --from "${PUBLIC_HOST:?set PUBLIC_HOST in .env}" --to app:23336
