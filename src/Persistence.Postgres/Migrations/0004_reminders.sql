-- Reminders for the ADO.NET reminder service. Each silo owns a range of the grain hash ring and
-- reads the reminders whose grain_hash falls in it; "version" is the ETag a delete must match.
-- Hashes are the provider's unsigned 32-bit values stored as signed integers; the provider picks
-- the range query that is correct in signed order.

CREATE TABLE orleans.reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX reminders_by_hash ON orleans.reminders (service_id, grain_hash);

INSERT INTO orleans.orleansquery (querykey, querytext) VALUES

('UpsertReminderRowKey', $sql$
INSERT INTO orleans.reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET start_time = excluded.start_time,
       period_ms = excluded.period_ms,
       grain_hash = excluded.grain_hash,
       version = orleans.reminders.version + 1
RETURNING version AS "Version";
$sql$),

('ReadReminderRowKey', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans.reminders
 WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$sql$),

('ReadReminderRowsKey', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans.reminders
 WHERE service_id = @ServiceId AND grain_id = @GrainId;
$sql$),

-- The range (@BeginHash, @EndHash] when it does not wrap around in signed order...
('ReadRangeRows1Key', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans.reminders
 WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$sql$),

-- ...and when it does: everything above the start or up to the end.
('ReadRangeRows2Key', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
  FROM orleans.reminders
 WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$sql$),

-- Answers whether the reminder existed at the expected version and is now gone.
('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM orleans.reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId
       AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted);
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM orleans.reminders WHERE service_id = @ServiceId;
$sql$);
