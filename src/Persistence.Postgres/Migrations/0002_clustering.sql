-- Cluster membership for the ADO.NET clustering provider (silos) and gateway list (clients).
--
-- Every change to a cluster's membership is a compare-and-swap on that cluster's version row:
-- a writer passes the version it read (@Version) and wins only if the row still holds it, then
-- bumps it. The version row is therefore also the lock that serialises membership writers.
-- "deployment_id" is the Orleans ClusterId.

CREATE TABLE orleans.membership_version (
    deployment_id text        PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans.membership (
    deployment_id   text        NOT NULL REFERENCES orleans.membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,  -- Orleans SiloStatus: 3 = Active, 6 = Dead
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text,                  -- "address,time|address,time" as Orleans formats it
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO orleans.orleansquery (querykey, querytext) VALUES

-- Creates the cluster's version row once; answers whether this call created it.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans.membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created);
$sql$),

-- Adds a silo if the table is still at @Version and the silo is not there yet; bumps the version.
('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans.membership_version AS v
       SET version = v.version + 1, changed_at = now()
     WHERE v.deployment_id = @DeploymentId
       AND v.version = @Version
       AND NOT EXISTS (SELECT 1 FROM orleans.membership AS m
                        WHERE m.deployment_id = @DeploymentId AND m.address = @Address
                          AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id
), inserted AS (
    INSERT INTO orleans.membership (deployment_id, address, port, generation, silo_name, host_name,
                                    status, proxy_port, start_time, i_am_alive_time)
    SELECT b.deployment_id, @Address, @Port, @Generation, @SiloName, @HostName,
           @Status, @ProxyPort, @StartTime, @IAmAliveTime
      FROM bumped AS b
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted);
$sql$),

-- Changes a silo's status and suspicions if the table is still at @Version; bumps the version.
('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans.membership_version AS v
       SET version = v.version + 1, changed_at = now()
     WHERE v.deployment_id = @DeploymentId
       AND v.version = @Version
       AND EXISTS (SELECT 1 FROM orleans.membership AS m
                    WHERE m.deployment_id = @DeploymentId AND m.address = @Address
                      AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id
), updated AS (
    UPDATE orleans.membership AS m
       SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
      FROM bumped AS b
     WHERE m.deployment_id = b.deployment_id AND m.address = @Address
       AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated);
$sql$),

-- The heartbeat: not a membership change, so the version stays.
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans.membership
   SET i_am_alive_time = @IAmAliveTime
 WHERE deployment_id = @DeploymentId AND address = @Address
   AND port = @Port AND generation = @Generation;
$sql$),

-- One silo with the table version; the version comes back even when the silo is unknown.
('MembershipReadRowKey', $sql$
SELECT v.version           AS "Version",
       m.address           AS "Address",
       m.port              AS "Port",
       m.generation        AS "Generation",
       m.silo_name         AS "SiloName",
       m.host_name         AS "HostName",
       m.status            AS "Status",
       m.proxy_port        AS "ProxyPort",
       m.suspect_times     AS "SuspectTimes",
       m.start_time        AS "StartTime",
       m.i_am_alive_time   AS "IAmAliveTime"
  FROM orleans.membership_version AS v
  LEFT JOIN orleans.membership AS m
    ON m.deployment_id = v.deployment_id AND m.address = @Address
   AND m.port = @Port AND m.generation = @Generation
 WHERE v.deployment_id = @DeploymentId;
$sql$),

-- Every silo with the table version, read in one snapshot so they agree.
('MembershipReadAllKey', $sql$
SELECT v.version           AS "Version",
       m.address           AS "Address",
       m.port              AS "Port",
       m.generation        AS "Generation",
       m.silo_name         AS "SiloName",
       m.host_name         AS "HostName",
       m.status            AS "Status",
       m.proxy_port        AS "ProxyPort",
       m.suspect_times     AS "SuspectTimes",
       m.start_time        AS "StartTime",
       m.i_am_alive_time   AS "IAmAliveTime"
  FROM orleans.membership_version AS v
  LEFT JOIN orleans.membership AS m ON m.deployment_id = v.deployment_id
 WHERE v.deployment_id = @DeploymentId;
$sql$),

-- Gateways a client may connect to: silos in @Status (Active) that accept clients.
('GatewaysQueryKey', $sql$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
  FROM orleans.membership
 WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$sql$),

-- Forgets the whole cluster (its silos go with the version row).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans.membership_version WHERE deployment_id = @DeploymentId;
$sql$),

-- Removes silos that are not active and have not been heard from since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans.membership
 WHERE deployment_id = @DeploymentId
   AND i_am_alive_time < @IAmAliveTime
   AND status <> 3;
$sql$);
