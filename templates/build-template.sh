#!/usr/bin/env bash
# Builds Parley's Flex Templates: for each job (ingest, backfill), its container image with Jib (no Docker daemon:
# Google's Java 17 template-launcher base image, the main class in FLEX_TEMPLATE_JAVA_MAIN_CLASS) pushed to
# Artifact Registry, then its template spec file in the bucket from templates/<job>-metadata.json.
#
#   templates/build-template.sh --project=P --repository=REGION-docker.pkg.dev/P/REPO --bucket=gs://B
#                               [--template=ingest|backfill|all] [--tag=TAG] [--dry-run]
#
# The spec lands at gs://B/templates/parley-<job>.json, the image at REPOSITORY/parley-<job>:TAG (TAG defaults to
# the git commit). --dry-run prints the exact commands instead of running them.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
ROOT="$(cd "$HERE/.." && pwd)"
PROJECT="" REPOSITORY="" BUCKET="" TEMPLATE="all" TAG=""

for arg in "$@"; do
  case "$arg" in
    --project=*) PROJECT="${arg#*=}" ;;
    --repository=*) REPOSITORY="${arg#*=}" ;;
    --bucket=*) BUCKET="${arg#*=}" ;;
    --template=*) TEMPLATE="${arg#*=}" ;;
    --tag=*) TAG="${arg#*=}" ;;
    --dry-run) DRY_RUN=true ;;
    -h|--help) usage ;;
    *) fail "unknown argument: $arg" ;;
  esac
done
require project "$PROJECT"
require repository "$REPOSITORY"
require bucket "$BUCKET"
[[ "$BUCKET" == gs://* ]] || fail "--bucket must be gs://BUCKET"
[[ -n "$TAG" ]] || TAG="$(git -C "$ROOT" rev-parse --short HEAD)"
case "$TEMPLATE" in
  all) TEMPLATES=(ingest backfill) ;;
  *) main_class_of "$TEMPLATE" >/dev/null; TEMPLATES=("$TEMPLATE") ;;
esac

cd "$ROOT"
for template in "${TEMPLATES[@]}"; do
  image="$(image_of "$REPOSITORY" "$template" "$TAG")"
  run mvn -B -pl pipeline -am package -DskipTests jib:build "-Dimage=$image" \
    "-Dparley.template.mainClass=$(main_class_of "$template")"
  run gcloud dataflow flex-template build "$(template_file_of "$BUCKET" "$template")" "--image=$image" \
    --sdk-language=JAVA "--metadata-file=templates/$template-metadata.json" "--project=$PROJECT"
done
