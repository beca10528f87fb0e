-- The API connects as "clinic_api", not as the silos' clinic_app: it reads the gateway list and
-- enqueues audit events, nothing else. It cannot read grain state (PHI, even encrypted), reminders,
-- the ledger or the audit trail, and cannot insert audit rows: a compromised API process holds no
-- database path around the grains. Like the other roles it is created outside migrations.
DO $check$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_api') THEN
        RAISE EXCEPTION 'role "clinic_api" does not exist: create it (LOGIN) before running migrations';
    END IF;
END
$check$;

GRANT USAGE ON SCHEMA orleans TO clinic_api;
-- The providers load their SQL from here, and the gateway list comes from the membership table.
GRANT SELECT ON orleans.orleansquery, orleans.membership TO clinic_api;
-- QueueStreamMessageKey: an INSERT ... RETURNING of the new row's key columns, never the payloads.
GRANT INSERT ON orleans.stream_messages TO clinic_api;
GRANT SELECT (service_id, provider_id, queue_id, message_id) ON orleans.stream_messages TO clinic_api;
