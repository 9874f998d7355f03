-- The plugin daemon's schema at daemon 0.0.1 (reference §1.6): ids defaulted by the database, the legacy
-- `declaration text NOT NULL` columns (plugins, serverless_runtimes and the three category tables of the time), no
-- plugins.remote_declaration or plugins.source, no datasource/trigger/readme tables, no unique indexes on
-- plugins.plugin_unique_identifier or (tenant_id, plugin_id). gen_random_uuid() stands in for uuid_generate_v4(),
-- which needs the uuid-ossp extension; the seeder sets ids itself either way.

CREATE TABLE plugins (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255),
    refers bigint DEFAULT 0,
    install_type varchar(127),
    manifest_type varchar(127),
    declaration text NOT NULL
);
CREATE INDEX idx_plugins_plugin_unique_identifier ON plugins (plugin_unique_identifier);
CREATE INDEX idx_plugins_plugin_id ON plugins (plugin_id);
CREATE INDEX idx_plugins_install_type ON plugins (install_type);

CREATE TABLE plugin_installations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id uuid,
    plugin_id varchar(255),
    plugin_unique_identifier varchar(255),
    runtime_type varchar(127),
    endpoints_setups bigint,
    endpoints_active bigint,
    source varchar(63),
    meta text
);
CREATE INDEX idx_plugin_installations_tenant_id ON plugin_installations (tenant_id);
CREATE INDEX idx_plugin_installations_plugin_id ON plugin_installations (plugin_id);
CREATE INDEX idx_plugin_installations_plugin_unique_identifier ON plugin_installations (plugin_unique_identifier);

CREATE TABLE plugin_declarations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    plugin_unique_identifier varchar(255) CONSTRAINT uni_plugin_declarations_plugin_unique_identifier UNIQUE,
    plugin_id varchar(255),
    declaration text
);
CREATE INDEX idx_plugin_declarations_plugin_id ON plugin_declarations (plugin_id);

CREATE TABLE endpoints (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    name varchar(127) DEFAULT 'default',
    hook_id varchar(127) CONSTRAINT uni_endpoints_hook_id UNIQUE,
    tenant_id varchar(64),
    user_id varchar(64),
    plugin_id varchar(64),
    expired_at timestamptz,
    enabled boolean,
    settings text
);

CREATE TABLE serverless_runtimes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    plugin_unique_identifier varchar(255) CONSTRAINT uni_serverless_runtimes_plugin_unique_identifier UNIQUE,
    function_url varchar(255),
    function_name varchar(127),
    type varchar(127),
    declaration text NOT NULL,
    checksum varchar(127)
);

CREATE TABLE tool_installations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id uuid NOT NULL,
    provider varchar(127) NOT NULL,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255),
    declaration text NOT NULL
);

CREATE TABLE ai_model_installations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    provider varchar(127) NOT NULL,
    tenant_id uuid NOT NULL,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255),
    declaration text NOT NULL
);

CREATE TABLE install_tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    status text NOT NULL,
    tenant_id uuid NOT NULL,
    total_plugins bigint NOT NULL,
    completed_plugins bigint NOT NULL,
    plugins text
);

CREATE TABLE tenant_storages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id varchar(255) NOT NULL,
    plugin_id varchar(255) NOT NULL,
    size bigint NOT NULL
);

CREATE TABLE agent_strategy_installations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id uuid NOT NULL,
    provider varchar(127) NOT NULL,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255),
    declaration text NOT NULL
);
