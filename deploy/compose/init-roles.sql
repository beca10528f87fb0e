-- compose.yaml's db-init: the roles and database the product expects, created once.
SELECT format('CREATE ROLE clinic_owner LOGIN CREATEDB PASSWORD %L', :'owner_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_owner') \gexec
SELECT format('CREATE ROLE clinic_app LOGIN PASSWORD %L', :'app_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') \gexec
ALTER ROLE clinic_app SET search_path = orleans;
SELECT 'CREATE DATABASE clinic OWNER clinic_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'clinic') \gexec
