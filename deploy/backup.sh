#!/usr/bin/env bash
# The nightly backup (docs/operations.md): the database as `pg_dump -Fc` and the materials'
# images (MEDIA_DIR), into BACKUP_DIR (default /var/backups/pioneer), keeping BACKUP_KEEP_DAYS
# (default 14) days. Run from the checkout (pioneer-backup.service does; so does upgrade.sh).
# DATABASE_URL and MEDIA_DIR are read as the app reads them: the environment, then .env.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PIONEER_PYTHON:-.venv/bin/python}
backup_dir=${BACKUP_DIR:-/var/backups/pioneer}
keep_days=${BACKUP_KEEP_DAYS:-14}

setting() {  # the value of one setting, from the environment or .env (bot.config.load_env_file)
  "$python" -c 'import os, sys
from bot.config import load_env_file
load_env_file()
print(os.environ.get(sys.argv[1], "").strip())' "$1"
}

database_url=$(setting DATABASE_URL)
case "$database_url" in
  postgresql://*|postgres://*) ;;
  postgresql+psycopg://*) database_url="postgresql://${database_url#postgresql+psycopg://}" ;;
  *) echo "backup: DATABASE_URL is not a PostgreSQL URL (got '${database_url%%://*}'); nothing backed up" >&2
     exit 2 ;;
esac
media_dir=$(setting MEDIA_DIR)
media_dir=${media_dir:-instance/media}

stamp=$(date +%Y-%m-%dT%H%M%S)
mkdir -p "$backup_dir"
dump="$backup_dir/pioneer-$stamp.dump"
pg_dump -Fc --no-owner -f "$dump.part" "$database_url"
mv "$dump.part" "$dump"
if [ -d "$media_dir" ]; then
  tar -czf "$backup_dir/media-$stamp.tar.gz.part" -C "$media_dir" .
  mv "$backup_dir/media-$stamp.tar.gz.part" "$backup_dir/media-$stamp.tar.gz"
fi
find "$backup_dir" -maxdepth 1 -type f \( -name 'pioneer-*.dump' -o -name 'media-*.tar.gz' \) \
  -mtime +"$keep_days" -delete
echo "backup: $dump ($(du -h "$dump" | cut -f1))"
