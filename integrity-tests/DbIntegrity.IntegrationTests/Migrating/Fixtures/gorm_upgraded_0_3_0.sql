-- A plugin daemon database that GORM AutoMigrate created with daemon 0.0.1 and upgraded in place with 0.0.3 and
-- 0.3.0 (no migration history): written by hand after the reference, not produced by DbIntegrity.
--   0.0.1 (docs/daemon/database.md#base-model, docs/daemon/database.md#schema-history): every id has DEFAULT uuid_generate_v4(); five tables have declaration text NOT NULL.
--   0.0.3 (docs/daemon/database.md#migrations, docs/daemon/database.md#schema-history): plugins.remote_declaration added at the end; the daemon's DROP NOT NULL on declaration.
--   0.3.0 (docs/daemon/database.md#schema-history): plugins.source added at the end; datasource_installations created (with the uuid default).
-- Plus endpoint_installations, a pre-1.0 beta leftover (docs/daemon/database.md#schema-history), which nothing reads any more.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TABLE "plugins" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),"refers" bigint DEFAULT 0,"install_type" varchar(127),"manifest_type" varchar(127),"declaration" text NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_plugins_plugin_unique_identifier" ON "plugins" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_plugins_plugin_id" ON "plugins" ("plugin_id");
CREATE INDEX IF NOT EXISTS "idx_plugins_install_type" ON "plugins" ("install_type");

CREATE TABLE "plugin_installations" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid,"plugin_id" varchar(255),"plugin_unique_identifier" varchar(255),"runtime_type" varchar(127),"endpoints_setups" bigint,"endpoints_active" bigint,"source" varchar(63),"meta" text,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_plugin_installations_tenant_id" ON "plugin_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_plugin_installations_plugin_id" ON "plugin_installations" ("plugin_id");
CREATE INDEX IF NOT EXISTS "idx_plugin_installations_plugin_unique_identifier" ON "plugin_installations" ("plugin_unique_identifier");

CREATE TABLE "plugin_declarations" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),"declaration" text,PRIMARY KEY ("id"),CONSTRAINT "uni_plugin_declarations_plugin_unique_identifier" UNIQUE ("plugin_unique_identifier"));
CREATE INDEX IF NOT EXISTS "idx_plugin_declarations_plugin_id" ON "plugin_declarations" ("plugin_id");

CREATE TABLE "endpoints" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"name" varchar(127) DEFAULT 'default',"hook_id" varchar(127),"tenant_id" varchar(64),"user_id" varchar(64),"plugin_id" varchar(64),"expired_at" timestamptz,"enabled" boolean,"settings" text,PRIMARY KEY ("id"),CONSTRAINT "uni_endpoints_hook_id" UNIQUE ("hook_id"));
CREATE INDEX IF NOT EXISTS "idx_endpoints_tenant_id" ON "endpoints" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_endpoints_user_id" ON "endpoints" ("user_id");
CREATE INDEX IF NOT EXISTS "idx_endpoints_plugin_id" ON "endpoints" ("plugin_id");

CREATE TABLE "serverless_runtimes" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"plugin_unique_identifier" varchar(255),"function_url" varchar(255),"function_name" varchar(127),"type" varchar(127),"checksum" varchar(127),"declaration" text NOT NULL,PRIMARY KEY ("id"),CONSTRAINT "uni_serverless_runtimes_plugin_unique_identifier" UNIQUE ("plugin_unique_identifier"));
CREATE INDEX IF NOT EXISTS "idx_serverless_runtimes_checksum" ON "serverless_runtimes" ("checksum");

CREATE TABLE "tool_installations" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid NOT NULL,"provider" varchar(127) NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),"declaration" text NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_tool_installations_tenant_id" ON "tool_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_tool_installations_provider" ON "tool_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_tool_installations_plugin_unique_identifier" ON "tool_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_tool_installations_plugin_id" ON "tool_installations" ("plugin_id");

CREATE TABLE "ai_model_installations" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"provider" varchar(127) NOT NULL,"tenant_id" uuid NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),"declaration" text NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_ai_model_installations_provider" ON "ai_model_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_ai_model_installations_tenant_id" ON "ai_model_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_ai_model_installations_plugin_unique_identifier" ON "ai_model_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_ai_model_installations_plugin_id" ON "ai_model_installations" ("plugin_id");

CREATE TABLE "install_tasks" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"status" text NOT NULL,"tenant_id" uuid NOT NULL,"total_plugins" bigint NOT NULL,"completed_plugins" bigint NOT NULL,"plugins" text,PRIMARY KEY ("id"));

CREATE TABLE "tenant_storages" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" varchar(255) NOT NULL,"plugin_id" varchar(255) NOT NULL,"size" bigint NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_tenant_storages_tenant_id" ON "tenant_storages" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_tenant_storages_plugin_id" ON "tenant_storages" ("plugin_id");

CREATE TABLE "agent_strategy_installations" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid NOT NULL,"provider" varchar(127) NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),"declaration" text NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_agent_strategy_installations_tenant_id" ON "agent_strategy_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_agent_strategy_installations_provider" ON "agent_strategy_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_agent_strategy_installations_plugin_unique_identifier" ON "agent_strategy_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_agent_strategy_installations_plugin_id" ON "agent_strategy_installations" ("plugin_id");

-- A row written by daemon 0.0.1, with its declaration in the legacy column.
INSERT INTO "plugins" ("created_at","updated_at","plugin_unique_identifier","plugin_id","refers","install_type","manifest_type","declaration")
VALUES (now(), now(), 'langgenius/openai:0.0.5@7d1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9', 'langgenius/openai', 1, 'local', '', '{"version":"0.0.5","type":"plugin","author":"langgenius","name":"openai"}');
INSERT INTO "tool_installations" ("created_at","updated_at","tenant_id","provider","plugin_unique_identifier","plugin_id","declaration")
VALUES (now(), now(), '5d0a6c3e-8f1b-4e2a-9c7d-1b2a3c4d5e6f', 'openai', 'langgenius/openai:0.0.5@7d1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9', 'langgenius/openai', '{"identity":{"name":"openai"}}');

-- 0.0.3 upgrade.
ALTER TABLE "plugins" ADD "remote_declaration" text;
ALTER TABLE plugins ALTER COLUMN declaration DROP NOT NULL;
ALTER TABLE serverless_runtimes ALTER COLUMN declaration DROP NOT NULL;
ALTER TABLE tool_installations ALTER COLUMN declaration DROP NOT NULL;
ALTER TABLE ai_model_installations ALTER COLUMN declaration DROP NOT NULL;
ALTER TABLE agent_strategy_installations ALTER COLUMN declaration DROP NOT NULL;

-- 0.3.0 upgrade.
ALTER TABLE "plugins" ADD "source" varchar(63) DEFAULT '';
CREATE TABLE "datasource_installations" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid NOT NULL,"provider" varchar(127) NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_datasource_installations_tenant_id" ON "datasource_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_datasource_installations_provider" ON "datasource_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_datasource_installations_plugin_unique_identifier" ON "datasource_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_datasource_installations_plugin_id" ON "datasource_installations" ("plugin_id");

-- A row written by daemon 0.3.0: no legacy declaration any more.
INSERT INTO "plugins" ("created_at","updated_at","plugin_unique_identifier","plugin_id","refers","install_type","manifest_type","remote_declaration","source")
VALUES (now(), now(), 'langgenius/tavily:0.1.2@4f1c7e0a9b8d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e', 'langgenius/tavily', 1, 'local', '', '{"version":"","type":"","author":"","name":""}', 'marketplace');

-- Pre-1.0 beta leftover.
CREATE TABLE "endpoint_installations" ("id" uuid DEFAULT uuid_generate_v4(),"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid,"plugin_id" varchar(127),"declaration" text NOT NULL,PRIMARY KEY ("id"));
