-- Parley's Spanner schema, version 2 (GoogleSQL): calendar enrichment. Applied after V1 by templates/spanner-schema.sh;
-- every statement is safe to apply again. Apply it before a job that enriches calls from calendars is deployed.
-- Column names are the ones dev.parley.transforms.store.CallRows writes (and the local store's JSON Lines tables).

-- The meeting a call was matched to in its agent's calendar, or why none was: one row per call of a tenant with
-- calendar enrichment, next to its call (the same key: the call's wide row is not made wider). Rewritten in place
-- when a call is redelivered.
CREATE TABLE IF NOT EXISTS CalendarMatches (
  TenantId STRING(150) NOT NULL,
  CallId STRING(64) NOT NULL,
  -- MATCHED (one event overlapped the call's start), AMBIGUOUS_RESOLVED (several did; DecidedBy names the rule) or
  -- MISSING (Reason is a stable code, Detail says more; the event columns are null).
  Status STRING(32) NOT NULL,
  Reason STRING(64),
  Detail STRING(MAX),
  CalendarId STRING(MAX),
  -- The start the meeting was matched against: the call's metadata's, else arrival minus the recording's length.
  CallStartTime TIMESTAMP NOT NULL,
  EventId STRING(1024),
  Title STRING(MAX),
  EventStart TIMESTAMP,
  EventEnd TIMESTAMP,
  OrganizerEmail STRING(MAX),
  OrganizerName STRING(MAX),
  -- Rows of CalendarAttendees that belong to this match: indexes 0 to AttendeeCount - 1.
  AttendeeCount INT64 NOT NULL,
  ExternalAttendeeCount INT64 NOT NULL,
  CandidateCount INT64 NOT NULL,
  DecidedBy STRING(32),
) PRIMARY KEY (TenantId, CallId),
  INTERLEAVE IN PARENT Calls ON DELETE CASCADE;

-- The people invited to the matched meeting (rooms left out). External: outside the tenant's own mail domains.
CREATE TABLE IF NOT EXISTS CalendarAttendees (
  TenantId STRING(150) NOT NULL,
  CallId STRING(64) NOT NULL,
  AttendeeIndex INT64 NOT NULL,
  Email STRING(MAX) NOT NULL,
  DisplayName STRING(MAX),
  ResponseStatus STRING(16),
  Organizer BOOL NOT NULL,
  External BOOL NOT NULL,
) PRIMARY KEY (TenantId, CallId, AttendeeIndex),
  INTERLEAVE IN PARENT CalendarMatches ON DELETE CASCADE;
