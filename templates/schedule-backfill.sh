#!/usr/bin/env bash
# Creates the Cloud Scheduler job that launches the nightly backfill: every night it POSTs
# templates/backfill-launch-body.json (placeholders filled here) to Dataflow's flexTemplates:launch with an OAuth
# token of the scheduler's service account. The body asks for yesterday's recordings (from=yesterday, to=today),
# which the job resolves when it starts, so the same body is right every night; calls already stored are skipped.
#
#   templates/schedule-backfill.sh --project=P --region=R --bucket=gs://B --tenant-config=gs://... --drop-folder=gs://...
#                                  --output-dir=gs://... --scheduler-service-account=EMAIL --worker-service-account=EMAIL
#                                  [--dead-letter-dir=gs://...] [--spanner=PROJECT/INSTANCE/DATABASE]
#                                  [--job-name=parley-nightly-backfill] [--schedule='0 3 * * *'] [--time-zone=UTC]
#                                  [--dry-run]
#
# The scheduler's service account needs roles/dataflow.developer and permission to act as the worker service
# account (roles/iam.serviceAccountUser on it). Optional values left empty are left out of the body. --dry-run
# prints the exact gcloud command, the filled body in it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
PROJECT="" REGION="" BUCKET="" TENANT_CONFIG="" DROP_FOLDER="" OUTPUT_DIR="" DEAD_LETTER_DIR="" SPANNER=""
SCHEDULER_SA="" WORKER_SA="" JOB_NAME="parley-nightly-backfill" SCHEDULE="0 3 * * *" TIME_ZONE="UTC"

for arg in "$@"; do
  case "$arg" in
    --project=*) PROJECT="${arg#*=}" ;;
    --region=*) REGION="${arg#*=}" ;;
    --bucket=*) BUCKET="${arg#*=}" ;;
    --tenant-config=*) TENANT_CONFIG="${arg#*=}" ;;
    --drop-folder=*) DROP_FOLDER="${arg#*=}" ;;
    --output-dir=*) OUTPUT_DIR="${arg#*=}" ;;
    --dead-letter-dir=*) DEAD_LETTER_DIR="${arg#*=}" ;;
    --spanner=*) SPANNER="${arg#*=}" ;;
    --scheduler-service-account=*) SCHEDULER_SA="${arg#*=}" ;;
    --worker-service-account=*) WORKER_SA="${arg#*=}" ;;
    --job-name=*) JOB_NAME="${arg#*=}" ;;
    --schedule=*) SCHEDULE="${arg#*=}" ;;
    --time-zone=*) TIME_ZONE="${arg#*=}" ;;
    --dry-run) DRY_RUN=true ;;
    -h|--help) usage ;;
    *) fail "unknown argument: $arg" ;;
  esac
done
require project "$PROJECT"
require region "$REGION"
require bucket "$BUCKET"
require tenant-config "$TENANT_CONFIG"
require drop-folder "$DROP_FOLDER"
require output-dir "$OUTPUT_DIR"
require scheduler-service-account "$SCHEDULER_SA"
require worker-service-account "$WORKER_SA"
SPANNER_PROJECT="" SPANNER_INSTANCE="" SPANNER_DATABASE=""
if [[ -n "$SPANNER" ]]; then
  IFS=/ read -r SPANNER_PROJECT SPANNER_INSTANCE SPANNER_DATABASE extra <<<"$SPANNER"
  [[ -n "$SPANNER_DATABASE" && -z "${extra:-}" ]] || fail "--spanner must be PROJECT/INSTANCE/DATABASE"
fi

# Each placeholder ${NAME} of the body, and its value. Values go into JSON strings: no quotes or backslashes.
declare -A VALUES=(
  [JOB_NAME]="$JOB_NAME" [TEMPLATE_FILE]="$(template_file_of "$BUCKET" backfill)" [TENANT_CONFIG]="$TENANT_CONFIG"
  [DROP_FOLDER]="$DROP_FOLDER" [OUTPUT_DIR]="$OUTPUT_DIR" [DEAD_LETTER_DIR]="$DEAD_LETTER_DIR"
  [SPANNER_PROJECT]="$SPANNER_PROJECT" [SPANNER_INSTANCE]="$SPANNER_INSTANCE" [SPANNER_DATABASE]="$SPANNER_DATABASE"
  [WORKER_SERVICE_ACCOUNT]="$WORKER_SA" [TEMP_LOCATION]="${BUCKET%/}/temp" [STAGING_LOCATION]="${BUCKET%/}/staging"
)
BODY="$(cat "$HERE/backfill-launch-body.json")"
for name in "${!VALUES[@]}"; do
  value="${VALUES[$name]}"
  [[ "$value" != *'"'* && "$value" != *'\'* ]] || fail "a value may not hold quotes or backslashes: $value"
  BODY="${BODY//"\${$name}"/"$value"}"
done
[[ "$BODY" != *'${'* ]] || fail "placeholders left unfilled in the launch body: $BODY"
# A parameter left empty is left out, so the job takes the option's default (an empty value fails its regex).
BODY="$(grep -v '^ *"[A-Za-z]*": "",$' <<<"$BODY")"

run gcloud scheduler jobs create http "$JOB_NAME" "--project=$PROJECT" "--location=$REGION" "--schedule=$SCHEDULE" \
  "--time-zone=$TIME_ZONE" \
  "--uri=https://dataflow.googleapis.com/v1b3/projects/$PROJECT/locations/$REGION/flexTemplates:launch" \
  --http-method=POST --headers=Content-Type=application/json "--oauth-service-account-email=$SCHEDULER_SA" \
  --oauth-token-scope=https://www.googleapis.com/auth/cloud-platform "--message-body=$BODY"
