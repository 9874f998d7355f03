-- A plugin daemon database as GORM AutoMigrate creates it from scratch with daemon 0.6.10 (no migration history):
-- written by hand after the (docs/daemon/database.md#migrations model order, docs/daemon/database.md#base-model base model without the uuid default since 0.5.2,
-- docs/daemon/database.md#tables columns and index names) in the statement style of gorm.io/driver/postgres: unnamed PRIMARY KEY, unique
-- fields as named constraints, indexes created after the table with IF NOT EXISTS. Not produced by DbIntegrity.
CREATE TABLE "plugins" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),"refers" bigint DEFAULT 0,"install_type" varchar(127),"manifest_type" varchar(127),"remote_declaration" text,"source" varchar(63) DEFAULT '',PRIMARY KEY ("id"));
CREATE UNIQUE INDEX IF NOT EXISTS "idx_plugin_unique_identifier" ON "plugins" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_plugins_plugin_id" ON "plugins" ("plugin_id");
CREATE INDEX IF NOT EXISTS "idx_plugins_install_type" ON "plugins" ("install_type");

CREATE TABLE "plugin_installations" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid,"plugin_id" varchar(255),"plugin_unique_identifier" varchar(255),"runtime_type" varchar(127),"endpoints_setups" bigint,"endpoints_active" bigint,"source" varchar(63),"meta" text,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_plugin_installations_tenant_id" ON "plugin_installations" ("tenant_id");
CREATE UNIQUE INDEX IF NOT EXISTS "idx_tenant_plugin" ON "plugin_installations" ("tenant_id","plugin_id");
CREATE INDEX IF NOT EXISTS "idx_plugin_installations_plugin_id" ON "plugin_installations" ("plugin_id");
CREATE INDEX IF NOT EXISTS "idx_plugin_installations_plugin_unique_identifier" ON "plugin_installations" ("plugin_unique_identifier");

CREATE TABLE "plugin_declarations" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),"declaration" text,PRIMARY KEY ("id"),CONSTRAINT "uni_plugin_declarations_plugin_unique_identifier" UNIQUE ("plugin_unique_identifier"));
CREATE INDEX IF NOT EXISTS "idx_plugin_declarations_plugin_id" ON "plugin_declarations" ("plugin_id");

CREATE TABLE "endpoints" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"name" varchar(127) DEFAULT 'default',"hook_id" varchar(127),"tenant_id" varchar(64),"user_id" varchar(64),"plugin_id" varchar(64),"expired_at" timestamptz,"enabled" boolean,"settings" text,PRIMARY KEY ("id"),CONSTRAINT "uni_endpoints_hook_id" UNIQUE ("hook_id"));
CREATE INDEX IF NOT EXISTS "idx_endpoints_tenant_id" ON "endpoints" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_endpoints_user_id" ON "endpoints" ("user_id");
CREATE INDEX IF NOT EXISTS "idx_endpoints_plugin_id" ON "endpoints" ("plugin_id");

CREATE TABLE "serverless_runtimes" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"plugin_unique_identifier" varchar(255),"function_url" varchar(255),"function_name" varchar(127),"type" varchar(127),"checksum" varchar(127),PRIMARY KEY ("id"),CONSTRAINT "uni_serverless_runtimes_plugin_unique_identifier" UNIQUE ("plugin_unique_identifier"));
CREATE INDEX IF NOT EXISTS "idx_serverless_runtimes_checksum" ON "serverless_runtimes" ("checksum");

CREATE TABLE "datasource_installations" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid NOT NULL,"provider" varchar(127) NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_datasource_installations_tenant_id" ON "datasource_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_datasource_installations_provider" ON "datasource_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_datasource_installations_plugin_unique_identifier" ON "datasource_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_datasource_installations_plugin_id" ON "datasource_installations" ("plugin_id");

CREATE TABLE "tool_installations" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid NOT NULL,"provider" varchar(127) NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_tool_installations_tenant_id" ON "tool_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_tool_installations_provider" ON "tool_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_tool_installations_plugin_unique_identifier" ON "tool_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_tool_installations_plugin_id" ON "tool_installations" ("plugin_id");

CREATE TABLE "ai_model_installations" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"provider" varchar(127) NOT NULL,"tenant_id" uuid NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_ai_model_installations_provider" ON "ai_model_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_ai_model_installations_tenant_id" ON "ai_model_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_ai_model_installations_plugin_unique_identifier" ON "ai_model_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_ai_model_installations_plugin_id" ON "ai_model_installations" ("plugin_id");

CREATE TABLE "install_tasks" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"status" varchar(50) NOT NULL,"tenant_id" uuid NOT NULL,"total_plugins" bigint NOT NULL,"completed_plugins" bigint NOT NULL,"plugins" text,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_install_tasks_status" ON "install_tasks" ("status");

CREATE TABLE "tenant_storages" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" varchar(255) NOT NULL,"plugin_id" varchar(255) NOT NULL,"size" bigint NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_tenant_storages_tenant_id" ON "tenant_storages" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_tenant_storages_plugin_id" ON "tenant_storages" ("plugin_id");

CREATE TABLE "agent_strategy_installations" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid NOT NULL,"provider" varchar(127) NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_agent_strategy_installations_tenant_id" ON "agent_strategy_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_agent_strategy_installations_provider" ON "agent_strategy_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_agent_strategy_installations_plugin_unique_identifier" ON "agent_strategy_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_agent_strategy_installations_plugin_id" ON "agent_strategy_installations" ("plugin_id");

CREATE TABLE "trigger_installations" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"tenant_id" uuid NOT NULL,"provider" varchar(127) NOT NULL,"plugin_unique_identifier" varchar(255),"plugin_id" varchar(255),PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_trigger_installations_tenant_id" ON "trigger_installations" ("tenant_id");
CREATE INDEX IF NOT EXISTS "idx_trigger_installations_provider" ON "trigger_installations" ("provider");
CREATE INDEX IF NOT EXISTS "idx_trigger_installations_plugin_unique_identifier" ON "trigger_installations" ("plugin_unique_identifier");
CREATE INDEX IF NOT EXISTS "idx_trigger_installations_plugin_id" ON "trigger_installations" ("plugin_id");

CREATE TABLE "plugin_readme_records" ("id" uuid,"created_at" timestamptz,"updated_at" timestamptz,"plugin_unique_identifier" varchar(255) NOT NULL,"language" varchar(10) NOT NULL,"content" text NOT NULL,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_plugin_readme_records_plugin_unique_identifier" ON "plugin_readme_records" ("plugin_unique_identifier");

-- One installed marketplace tool, as the daemon writes it (UUIDv7 ids made in Go).
INSERT INTO "plugins" VALUES ('019a1f7e-2c3d-7a10-9b1e-1f2e3d4c5b6a', now(), now(), 'langgenius/tavily:0.1.2@4f1c7e0a9b8d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e', 'langgenius/tavily', 1, 'local', '', '{"version":"","type":"","author":"","name":""}', 'marketplace');
INSERT INTO "plugin_declarations" VALUES ('019a1f7e-2c3d-7a10-9b1e-1f2e3d4c5b6b', now(), now(), 'langgenius/tavily:0.1.2@4f1c7e0a9b8d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e', 'langgenius/tavily', '{"version":"0.1.2","type":"plugin","author":"langgenius","name":"tavily","icon":"3f2a.svg"}');
INSERT INTO "plugin_installations" VALUES ('019a1f7e-2c3d-7a10-9b1e-1f2e3d4c5b6c', now(), now(), '5d0a6c3e-8f1b-4e2a-9c7d-1b2a3c4d5e6f', 'langgenius/tavily', 'langgenius/tavily:0.1.2@4f1c7e0a9b8d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e', 'local', 0, 0, 'marketplace', '{}');
INSERT INTO "tool_installations" VALUES ('019a1f7e-2c3d-7a10-9b1e-1f2e3d4c5b6d', now(), now(), '5d0a6c3e-8f1b-4e2a-9c7d-1b2a3c4d5e6f', 'tavily', 'langgenius/tavily:0.1.2@4f1c7e0a9b8d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e', 'langgenius/tavily');
