-- Everything the silo keeps in PostgreSQL lives in the schema "orleans", owned by the role that
-- runs migrations. The runtime role only gets row access (see 0005).
CREATE SCHEMA orleans;

-- One row per applied migration file; the migrator refuses to run when a file's checksum no
-- longer matches the one recorded here (an applied migration must never change).
CREATE TABLE orleans.schema_migrations (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    checksum   text        NOT NULL
);

-- The Orleans ADO.NET providers read their SQL from here at start-up ("SELECT QueryKey,
-- QueryText FROM OrleansQuery"). That lookup is unqualified and unquoted, so the table is found
-- through search_path and its name and columns are lower case.
CREATE TABLE orleans.orleansquery (
    querykey  varchar(64) PRIMARY KEY,
    querytext text        NOT NULL
);
