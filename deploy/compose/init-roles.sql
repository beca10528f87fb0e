-- compose.yaml's db-init: the roles and database the product expects, created once.
SELECT format('CREATE ROLE clinic_owner LOGIN CREATEDB PASSWORD %L', :'owner_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_owner') \gexec
SELECT format('CREATE ROLE clinic_app LOGIN PASSWORD %L', :'app_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') \gexec
ALTER ROLE clinic_app SET search_path = orleans;
-- The roles later migrations grant to: the API's own (login is given where the API uses it) and
-- the only one that may truncate audit history.
SELECT 'CREATE ROLE clinic_api NOLOGIN'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_api') \gexec
ALTER ROLE clinic_api SET search_path = orleans;
SELECT 'CREATE ROLE clinic_retention NOLOGIN'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_retention') \gexec
SELECT 'CREATE DATABASE clinic OWNER clinic_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'clinic') \gexec
