#!/usr/bin/env bash
# make serve: the production profile (gunicorn + whitenoise, DEBUG off) on 127.0.0.1, as it runs
# behind the reverse proxy. Environment: see "Production" in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_DEBUG=0
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  # Local use only: a per-checkout key in var/ (a server sets DJANGO_SECRET_KEY in its unit file).
  mkdir -p var
  [ -s var/secret_key ] || (umask 077 && .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" >var/secret_key)
  DJANGO_SECRET_KEY="$(cat var/secret_key)"
  export DJANGO_SECRET_KEY
fi
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
# TLS ends at the proxy; straight on the loopback there is no https to redirect to.
export DJANGO_SECURE_SSL_REDIRECT="${DJANGO_SECURE_SSL_REDIRECT:-0}"
.venv/bin/python manage.py collectstatic --noinput -v 0
exec .venv/bin/gunicorn config.wsgi -c config/gunicorn.conf.py
