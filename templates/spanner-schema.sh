#!/usr/bin/env bash
# Applies Parley's Spanner schema (transforms/src/main/resources/dev/parley/spanner/V*.sql, in version order) to
# one database with `gcloud spanner databases ddl update`. Every statement is idempotent, so all versions are
# applied each time. Run it for the shared database and for each tenant that has a database of its own.
#
#   templates/spanner-schema.sh --project=P --instance=I --database=D [--dry-run]
#
# --dry-run prints the exact gcloud commands instead of running them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCHEMA_DIR="$ROOT/transforms/src/main/resources/dev/parley/spanner"
PROJECT="" INSTANCE="" DATABASE="" DRY_RUN=false

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

for arg in "$@"; do
  case "$arg" in
    --project=*) PROJECT="${arg#*=}" ;;
    --instance=*) INSTANCE="${arg#*=}" ;;
    --database=*) DATABASE="${arg#*=}" ;;
    --dry-run) DRY_RUN=true ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $arg" >&2; usage ;;
  esac
done
[[ -n "$PROJECT" && -n "$INSTANCE" && -n "$DATABASE" ]] || usage

mapfile -t FILES < <(find "$SCHEMA_DIR" -maxdepth 1 -name 'V*__*.sql' -printf '%f\n' | sort -V)
[[ ${#FILES[@]} -gt 0 ]] || { echo "no V*__*.sql files in $SCHEMA_DIR" >&2; exit 1; }

for file in "${FILES[@]}"; do
  cmd=(gcloud spanner databases ddl update "$DATABASE" "--instance=$INSTANCE" "--project=$PROJECT"
       "--ddl-file=$SCHEMA_DIR/$file")
  if $DRY_RUN; then
    printf '%q ' "${cmd[@]}"; echo
  else
    echo "applying $file to projects/$PROJECT/instances/$INSTANCE/databases/$DATABASE" >&2
    "${cmd[@]}"
  fi
done
