-- Grain state for the ADO.NET grain storage provider, one row per (service, state name, grain).
--
-- The provider identifies a grain by two 64-bit halves (integer and GUID keys) plus a string
-- (string keys, or key extensions); a missing string is stored as ''. The primary key makes the
-- first write of a grain race-free: concurrent first writers all try to INSERT, exactly one row
-- lands and the others get no row back.
--
-- "version" is the ETag. A write names the version it read (@GrainStateVersion, NULL for a grain
-- never written) and succeeds only if the row still holds it. The provider treats "no version
-- returned" as a conflict and throws InconsistentStateException, so a stale writer never
-- overwrites newer state.
--
-- The state is kept as jsonb (readable and queryable): the provider hands us the serializer's
-- UTF-8 JSON bytes and gets UTF-8 JSON bytes back.

CREATE TABLE orleans.grain_state (
    service_id   text        NOT NULL,
    grain_type   text        NOT NULL,   -- the state name the grain declares, e.g. "clinic"
    grain_id_n0  bigint      NOT NULL,
    grain_id_n1  bigint      NOT NULL,
    grain_id_ext text        NOT NULL,   -- the string key or key extension; '' when none
    payload      jsonb,                  -- NULL after the state was cleared
    version      integer     NOT NULL,
    modified_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext)
);

INSERT INTO orleans.orleansquery (querykey, querytext) VALUES

('ReadFromStorageKey', $sql$
SELECT convert_to(payload::text, 'UTF8') AS "PayloadBinary",
       version                           AS "Version"
  FROM orleans.grain_state
 WHERE service_id = @ServiceId
   AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = coalesce(@GrainIdExtensionString, '');
$sql$),

-- Either replaces the row at the expected version, or (no version yet) inserts the first one.
-- Exactly one of the two branches can run; a lost race or a stale version returns no row.
('WriteToStorageKey', $sql$
WITH replaced AS (
    UPDATE orleans.grain_state
       SET payload = convert_from(@PayloadBinary, 'UTF8')::jsonb,
           version = version + 1,
           modified_at = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND service_id = @ServiceId
       AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version
), created AS (
    INSERT INTO orleans.grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''),
           convert_from(@PayloadBinary, 'UTF8')::jsonb, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext) DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM replaced
UNION ALL
SELECT version FROM created;
$sql$),

-- Keeps the row (and its version history) but drops the state, at the expected version.
('ClearStorageKey', $sql$
UPDATE orleans.grain_state
   SET payload = NULL,
       version = version + 1,
       modified_at = now()
 WHERE service_id = @ServiceId
   AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version;
$sql$),

-- For DeleteStateOnClear: removes the row at the expected version. The value returned only has
-- to differ from the caller's version for the provider to see success.
('DeleteStorageKey', $sql$
DELETE FROM orleans.grain_state
 WHERE service_id = @ServiceId
   AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version + 1;
$sql$);
