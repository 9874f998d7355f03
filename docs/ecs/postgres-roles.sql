-- PostgreSQL roles for running dbintegrity inside the VPC (docs/running-in-vpc.md). Run as the role that owns the
-- plugin daemon's tables (the daemon's DB_USERNAME), connected to the daemon's database (DB_DATABASE, docs/daemon/database.md#connection):
--
--   psql "host=$DB_HOST dbname=dify_plugin user=<daemon owner> sslmode=require" \
--        -v check_password="$(openssl rand -base64 32)" -v repair_password="$(openssl rand -base64 32)" -f postgres-roles.sql
--
-- Store the two passwords in Secrets Manager (dify/dbintegrity-check, dify/dbintegrity-repair: keys username, password);
-- the task definitions inject them as DB_USERNAME / DB_PASSWORD. Neither role can change the schema: migrations
-- (`dbintegrity migrate up`) run as the daemon's owner role, as the daemon's own AutoMigrate does.

\set ON_ERROR_STOP on
BEGIN;

-- check and gate: read-only. Every session is read-only by default, and a runaway scan is cut off.
CREATE ROLE dbintegrity_check LOGIN PASSWORD :'check_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT CONNECTION LIMIT 4;
ALTER ROLE dbintegrity_check SET default_transaction_read_only = on;
ALTER ROLE dbintegrity_check SET statement_timeout = '15min';
ALTER ROLE dbintegrity_check SET idle_in_transaction_session_timeout = '5min';
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO dbintegrity_check', current_database()); END $$;
GRANT USAGE ON SCHEMA public TO dbintegrity_check;
-- The daemon's tables, DbIntegrity's version table and its check-run history: SELECT only.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dbintegrity_check;
-- Tables a later daemon release or migration creates (AutoMigrate adds tables, docs/daemon/database.md#migrations) stay readable.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO dbintegrity_check;
-- The gate's one write is its row in dbintegrity_check_runs; with this role it reports "not recorded" and its verdict
-- is the same. To keep the gate's history, allow that one table and drop the read-only default:
--   GRANT INSERT ON dbintegrity_check_runs TO dbintegrity_check;
--   ALTER ROLE dbintegrity_check RESET default_transaction_read_only;
-- (Its id is an IDENTITY column: INSERT alone is enough, no USAGE on dbintegrity_check_runs_id_seq.)

-- repair: what check has, plus row changes on the daemon's tables (delete broken declarations, merge duplicate
-- plugins rows, fix refers, delete orphaned category rows, insert missing ones). No DDL, no TRUNCATE, no superuser.
CREATE ROLE dbintegrity_repair LOGIN PASSWORD :'repair_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT CONNECTION LIMIT 2;
ALTER ROLE dbintegrity_repair SET statement_timeout = '15min';
ALTER ROLE dbintegrity_repair SET idle_in_transaction_session_timeout = '5min';
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO dbintegrity_repair', current_database()); END $$;
GRANT USAGE ON SCHEMA public TO dbintegrity_repair;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dbintegrity_repair;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO dbintegrity_repair;
-- The category tables depend on the daemon release (datasource 0.3.0, trigger 0.4.0, docs/daemon/database.md#schema-history): grant on those
-- that exist. UPDATE is also what `SELECT … FOR UPDATE` and the share locks of apply need.
DO $grants$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['plugins', 'plugin_declarations', 'plugin_installations', 'tool_installations', 'ai_model_installations',
                             'agent_strategy_installations', 'datasource_installations', 'trigger_installations']
    LOOP
        IF to_regclass(format('public.%I', t)) IS NOT NULL THEN
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON public.%I TO dbintegrity_repair', t);
        END IF;
    END LOOP;
    -- Deleting a key under plugin/ holds install_tasks IN SHARE MODE so no install of that identifier can start
    -- meanwhile (docs/least-privilege.md); LOCK TABLE in that mode needs UPDATE. No install_tasks row is changed.
    IF to_regclass('public.install_tasks') IS NOT NULL THEN
        GRANT UPDATE ON public.install_tasks TO dbintegrity_repair;
    END IF;
END
$grants$;

COMMIT;

-- To remove them again:
--   REVOKE ALL ON ALL TABLES IN SCHEMA public FROM dbintegrity_check, dbintegrity_repair;
--   ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM dbintegrity_check, dbintegrity_repair;
--   REVOKE ALL ON SCHEMA public FROM dbintegrity_check, dbintegrity_repair;
--   REVOKE ALL ON DATABASE dify_plugin FROM dbintegrity_check, dbintegrity_repair;
--   DROP ROLE dbintegrity_check; DROP ROLE dbintegrity_repair;
