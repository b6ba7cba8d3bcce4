-- Parley's Spanner schema, version 1 (GoogleSQL). Applied in file-name order by templates/spanner-schema.sh.
-- Every statement is safe to apply again (IF NOT EXISTS / OR REPLACE), so the script can apply every version.
--
-- One shared database holds every tenant by default: each key starts with TenantId, so a tenant's rows are
-- contiguous and never mix with another's. A tenant with its own database (tenant config `spanner:`) gets the
-- same tables there. Column names are the ones dev.parley.transforms.store.CallRows writes (the local store's
-- JSON Lines tables use them too). Sizes: tenant ids are at most 150 bytes; call ids are 33 characters.

-- One row per transcribed call; rewritten in place (InsertOrUpdate) when a call is redelivered.
CREATE TABLE IF NOT EXISTS Calls (
  TenantId STRING(150) NOT NULL,
  CallId STRING(64) NOT NULL,
  SourceUri STRING(MAX) NOT NULL,
  ObjectGeneration INT64,
  Status STRING(32) NOT NULL,
  Engine STRING(32) NOT NULL,
  Model STRING(128) NOT NULL,
  Language STRING(35),
  Summary STRING(MAX),
  ActionItems ARRAY<STRING(MAX)>,
  AudioFormat STRING(16) NOT NULL,
  AudioCodec STRING(32) NOT NULL,
  DurationMillis INT64 NOT NULL,
  SampleRateHz INT64 NOT NULL,
  Channels INT64 NOT NULL,
  -- Audio before and after silence trimming: what the recording lasts, and what the model was sent (and billed).
  RawAudioMillis INT64,
  BilledAudioMillis INT64,
  AudioSha256 STRING(64),
  InputTokens INT64 NOT NULL,
  OutputTokens INT64 NOT NULL,
  EstimatedCostUsd FLOAT64,
  -- Rows of TranscriptSegments that belong to this version of the transcript: indexes 0 to SegmentCount - 1.
  SegmentCount INT64 NOT NULL,
  -- How long the call waited for its quota (admission control), over all its attempts.
  AdmissionWaitMillis INT64,
  ExternalCallId STRING(MAX),
  Direction STRING(8),
  FromNumber STRING(64),
  ToNumber STRING(64),
  Agent STRING(MAX),
  ParticipantEmails ARRAY<STRING(MAX)>,
  CallStartTime TIMESTAMP,
  ArrivedAt TIMESTAMP NOT NULL,
  ProcessedAt TIMESTAMP NOT NULL,
) PRIMARY KEY (TenantId, CallId);

-- One row per speaker turn, stored next to its call. A turn longer than 256k characters continues in the
-- following rows (Continuation = true), which keeps every value far below Spanner's 10 MiB limit.
CREATE TABLE IF NOT EXISTS TranscriptSegments (
  TenantId STRING(150) NOT NULL,
  CallId STRING(64) NOT NULL,
  SegmentIndex INT64 NOT NULL,
  Speaker STRING(MAX) NOT NULL,
  StartMillis INT64 NOT NULL,
  EndMillis INT64 NOT NULL,
  Text STRING(MAX) NOT NULL,
  Continuation BOOL NOT NULL,
) PRIMARY KEY (TenantId, CallId, SegmentIndex),
  INTERLEAVE IN PARENT Calls ON DELETE CASCADE;

-- The outcome of pushing a call into the tenant's CRM, one row per call and CRM.
CREATE TABLE IF NOT EXISTS CrmSync (
  TenantId STRING(150) NOT NULL,
  CallId STRING(64) NOT NULL,
  Crm STRING(16) NOT NULL,
  Status STRING(16) NOT NULL,
  ExternalId STRING(MAX),
  ContactId STRING(MAX),
  Created BOOL NOT NULL,
  Attempts INT64 NOT NULL,
  ErrorCode STRING(64),
  LastError STRING(MAX),
  SyncedAt TIMESTAMP NOT NULL,
) PRIMARY KEY (TenantId, CallId, Crm),
  INTERLEAVE IN PARENT Calls ON DELETE CASCADE;

-- The usage ledger: one line per tenant, day and call. Blind counter increments cannot be made idempotent (a
-- redelivered call would count twice) and a read-modify-write per call would serialise a tenant on one row;
-- a line per call is rewritten in place instead, and a day's totals are one key-prefix scan (TenantDailyUsage).
CREATE TABLE IF NOT EXISTS TenantUsage (
  TenantId STRING(150) NOT NULL,
  UsageDate DATE NOT NULL,
  CallId STRING(64) NOT NULL,
  AudioMillis INT64 NOT NULL,
  InputTokens INT64 NOT NULL,
  OutputTokens INT64 NOT NULL,
  EstimatedCostUsd FLOAT64,
  Model STRING(128) NOT NULL,
) PRIMARY KEY (TenantId, UsageDate, CallId);

-- Per tenant and day: calls, audio seconds, tokens and cost.
CREATE OR REPLACE VIEW TenantDailyUsage SQL SECURITY INVOKER AS
SELECT
  u.TenantId,
  u.UsageDate,
  COUNT(*) AS Calls,
  SUM(u.AudioMillis) / 1000 AS AudioSeconds,
  SUM(u.InputTokens) AS InputTokens,
  SUM(u.OutputTokens) AS OutputTokens,
  SUM(u.EstimatedCostUsd) AS EstimatedCostUsd
FROM TenantUsage AS u
GROUP BY u.TenantId, u.UsageDate;
