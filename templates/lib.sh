# shellcheck shell=bash
# Shared by the template scripts: argument checks and the --dry-run mode, which prints each command (quoted so it
# can be pasted into a shell) instead of running it.

DRY_RUN=false

# Prints the lines of the calling script's header comment (its usage) and exits with status 2.
usage() {
  sed -n '2,/^set -euo pipefail/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

fail() {
  echo "$(basename "$0"): $*" >&2
  echo "run $(basename "$0") --help for the arguments" >&2
  exit 2
}

# require NAME VALUE: fails clearly when a required argument is missing.
require() {
  [[ -n "$2" ]] || fail "missing required argument --$1"
}

# A word as a shell would need it: as it is when plain, else in single quotes.
quote() {
  if [[ "$1" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\\\'\'}"
  fi
}

run() {
  if $DRY_RUN; then
    local words=() word
    for word in "$@"; do
      words+=("$(quote "$word")")
    done
    echo "${words[*]}"
  else
    "$@"
  fi
}

# The template's container image: one per main class, in the given Artifact Registry repository.
image_of() {
  echo "$1/parley-$2:$3"
}

# Where a built template's spec file lives in the bucket.
template_file_of() {
  echo "${1%/}/templates/parley-$2.json"
}

main_class_of() {
  case "$1" in
    ingest) echo dev.parley.pipeline.IngestPipeline ;;
    backfill) echo dev.parley.pipeline.BackfillPipeline ;;
    *) fail "unknown template $1: ingest or backfill" ;;
  esac
}
