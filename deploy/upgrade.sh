#!/usr/bin/env bash
# Upgrade a systemd install in place (docs/operations.md, "Upgrade"), stopping at the first
# failure: backup -> new code and requirements -> migrate -> restart the web -> restart the
# workers and cron -> doctor.
#   sudo deploy/upgrade.sh [GIT_REF]      (default: origin/main)
# Run as root from the checkout (/srv/pioneer); the code and .venv belong to the user pioneer.
set -euo pipefail
cd "$(dirname "$0")/.."

ref=${1:-origin/main}
user=${PIONEER_USER:-pioneer}
as_user() { if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi; }
step() { echo "upgrade: $*" >&2; }
trap 'echo "upgrade: FAILED at the step above; nothing after it was done" >&2' ERR

step "1/6 backup"
systemctl start pioneer-backup.service        # oneshot: returns when the dump is written
step "2/6 code $ref and requirements"
as_user git fetch --quiet
as_user git checkout --quiet --detach "$ref"
as_user .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
step "3/6 migrate"
as_user .venv/bin/flask --app wsgi db upgrade
step "4/6 restart the web"
systemctl restart pioneer-web.service
step "5/6 restart the workers and cron (each worker finishes its job first)"
systemctl restart 'pioneer-worker@*.service' pioneer-cron.service
step "6/6 doctor"
as_user .venv/bin/flask --app wsgi doctor
step "done: $(as_user git rev-parse --short HEAD)"
