#!/usr/bin/env bash
# Launches a Parley Flex Template built by build-template.sh: the streaming ingest, or a one-off backfill. Also
# updates a running streaming job in place (--update, same --job-name), keeping its state: prefer it to a drain.
#
#   templates/launch.sh --template=ingest|backfill --project=P --region=R --bucket=gs://B --job-name=NAME
#                       --param=tenantConfig=gs://... --param=outputDir=gs://... [--param=NAME=VALUE ...]
#                       [--update [--transform-name-mapping=OLD=NEW ...]] [--service-account=SA_EMAIL]
#                       [--max-workers=N] [--dry-run]
#
# Parameters are the template's (templates/<template>-metadata.json); values may hold commas. --dry-run prints the
# exact gcloud command instead of running it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
TEMPLATE="" PROJECT="" REGION="" BUCKET="" JOB_NAME="" SERVICE_ACCOUNT="" MAX_WORKERS="" UPDATE=false
PARAMS=() MAPPINGS=()

for arg in "$@"; do
  case "$arg" in
    --template=*) TEMPLATE="${arg#*=}" ;;
    --project=*) PROJECT="${arg#*=}" ;;
    --region=*) REGION="${arg#*=}" ;;
    --bucket=*) BUCKET="${arg#*=}" ;;
    --job-name=*) JOB_NAME="${arg#*=}" ;;
    --param=*=*) PARAMS+=("${arg#*=}") ;;
    --update) UPDATE=true ;;
    --transform-name-mapping=*=*) MAPPINGS+=("${arg#*=}") ;;
    --service-account=*) SERVICE_ACCOUNT="${arg#*=}" ;;
    --max-workers=*) MAX_WORKERS="${arg#*=}" ;;
    --dry-run) DRY_RUN=true ;;
    -h|--help) usage ;;
    *) fail "unknown argument: $arg" ;;
  esac
done
require template "$TEMPLATE"
require project "$PROJECT"
require region "$REGION"
require bucket "$BUCKET"
require job-name "$JOB_NAME"
main_class_of "$TEMPLATE" >/dev/null
[[ "$JOB_NAME" =~ ^[a-z]([-a-z0-9]*[a-z0-9])?$ ]] || fail "--job-name must be lowercase letters, digits and dashes"
[[ ${#MAPPINGS[@]} -eq 0 ]] || $UPDATE || fail "--transform-name-mapping only goes with --update"
[[ ${#PARAMS[@]} -gt 0 ]] || fail "missing --param: the template needs at least tenantConfig and outputDir"

# gcloud splits list values on commas; ^~^ makes ~ the separator, so a value may hold commas (tenantConfig does).
join_tilde() {
  local IFS='~'
  echo "^~^$*"
}

cmd=(gcloud dataflow flex-template run "$JOB_NAME" "--template-file-gcs-location=$(template_file_of "$BUCKET" "$TEMPLATE")"
     "--project=$PROJECT" "--region=$REGION" "--temp-location=${BUCKET%/}/temp" "--staging-location=${BUCKET%/}/staging"
     "--parameters=$(join_tilde "${PARAMS[@]}")")
[[ "$TEMPLATE" == ingest ]] && cmd+=(--enable-streaming-engine)
[[ -n "$SERVICE_ACCOUNT" ]] && cmd+=("--service-account-email=$SERVICE_ACCOUNT")
[[ -n "$MAX_WORKERS" ]] && cmd+=("--max-workers=$MAX_WORKERS")
$UPDATE && cmd+=(--update)
[[ ${#MAPPINGS[@]} -gt 0 ]] && cmd+=("--transform-name-mappings=$(join_tilde "${MAPPINGS[@]}")")
run "${cmd[@]}"
