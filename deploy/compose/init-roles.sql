-- compose.yaml's db-init: the roles and database the product expects, created once.
SELECT format('CREATE ROLE clinic_owner LOGIN CREATEDB PASSWORD %L', :'owner_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_owner') \gexec
SELECT format('CREATE ROLE clinic_app LOGIN PASSWORD %L', :'app_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') \gexec
ALTER ROLE clinic_app SET search_path = orleans;
-- The API's own role (migration 0401 grants it the gateway list and the audit queue, nothing
-- else), which the compose API connects as; and the only role that may truncate audit history.
SELECT format('CREATE ROLE clinic_api LOGIN PASSWORD %L', :'api_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_api') \gexec
-- A volume from before the API had its own login: give it one (idempotent).
SELECT format('ALTER ROLE clinic_api LOGIN PASSWORD %L', :'api_pw') \gexec
ALTER ROLE clinic_api SET search_path = orleans;
SELECT 'CREATE ROLE clinic_retention NOLOGIN'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') \gexec
SELECT 'CREATE DATABASE clinic OWNER clinic_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'clinic') \gexec
