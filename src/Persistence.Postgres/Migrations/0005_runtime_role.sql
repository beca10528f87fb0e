-- The silo connects as "clinic_app": it may read and write Orleans rows, nothing more. It cannot
-- create, alter or drop objects, and it can only read the provider queries, so a compromised
-- silo cannot rewrite the SQL that every silo executes. The role is created outside migrations
-- (scripts/postgres.sh locally, the database administrator elsewhere) because roles belong to
-- the whole server, not to one database.
DO $check$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') THEN
        RAISE EXCEPTION 'role "clinic_app" does not exist: create it (LOGIN) before running migrations';
    END IF;
END
$check$;

GRANT USAGE ON SCHEMA orleans TO clinic_app;
GRANT SELECT ON orleans.orleansquery TO clinic_app;
GRANT SELECT, INSERT, UPDATE, DELETE
   ON orleans.membership_version, orleans.membership, orleans.grain_state, orleans.reminders
   TO clinic_app;
