-- The plugin daemon's schema as GORM AutoMigrate leaves a fresh database at daemon 0.5.4 (reference §1.3, §1.4):
-- no foreign keys, ids set by the daemon (UUIDv7, no column default since 0.5.2), GORM's index names.
-- A stand-in until the FluentMigrator migrations (branch wp-migrations) reach main.

CREATE TABLE plugins (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255),
    refers bigint DEFAULT 0,
    install_type varchar(127),
    manifest_type varchar(127),
    remote_declaration text,
    source varchar(63) DEFAULT ''
);
CREATE UNIQUE INDEX idx_plugin_unique_identifier ON plugins (plugin_unique_identifier);
CREATE INDEX idx_plugins_plugin_id ON plugins (plugin_id);
CREATE INDEX idx_plugins_install_type ON plugins (install_type);

CREATE TABLE plugin_installations (
    id uuid PRIMARY KEY,
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
CREATE UNIQUE INDEX idx_tenant_plugin ON plugin_installations (tenant_id, plugin_id);
CREATE INDEX idx_plugin_installations_tenant_id ON plugin_installations (tenant_id);
CREATE INDEX idx_plugin_installations_plugin_id ON plugin_installations (plugin_id);
CREATE INDEX idx_plugin_installations_plugin_unique_identifier ON plugin_installations (plugin_unique_identifier);

CREATE TABLE plugin_declarations (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    plugin_unique_identifier varchar(255) CONSTRAINT uni_plugin_declarations_plugin_unique_identifier UNIQUE,
    plugin_id varchar(255),
    declaration text
);
CREATE INDEX idx_plugin_declarations_plugin_id ON plugin_declarations (plugin_id);

CREATE TABLE endpoints (
    id uuid PRIMARY KEY,
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
CREATE INDEX idx_endpoints_tenant_id ON endpoints (tenant_id);
CREATE INDEX idx_endpoints_user_id ON endpoints (user_id);
CREATE INDEX idx_endpoints_plugin_id ON endpoints (plugin_id);

CREATE TABLE serverless_runtimes (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    plugin_unique_identifier varchar(255) CONSTRAINT uni_serverless_runtimes_plugin_unique_identifier UNIQUE,
    function_url varchar(255),
    function_name varchar(127),
    type varchar(127),
    checksum varchar(127)
);
CREATE INDEX idx_serverless_runtimes_checksum ON serverless_runtimes (checksum);

CREATE TABLE datasource_installations (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id uuid NOT NULL,
    provider varchar(127) NOT NULL,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255)
);
CREATE INDEX idx_datasource_installations_tenant_id ON datasource_installations (tenant_id);
CREATE INDEX idx_datasource_installations_provider ON datasource_installations (provider);
CREATE INDEX idx_datasource_installations_plugin_unique_identifier ON datasource_installations (plugin_unique_identifier);
CREATE INDEX idx_datasource_installations_plugin_id ON datasource_installations (plugin_id);

CREATE TABLE tool_installations (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id uuid NOT NULL,
    provider varchar(127) NOT NULL,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255)
);
CREATE INDEX idx_tool_installations_tenant_id ON tool_installations (tenant_id);
CREATE INDEX idx_tool_installations_provider ON tool_installations (provider);
CREATE INDEX idx_tool_installations_plugin_unique_identifier ON tool_installations (plugin_unique_identifier);
CREATE INDEX idx_tool_installations_plugin_id ON tool_installations (plugin_id);

-- provider comes before tenant_id in this table (§1.4).
CREATE TABLE ai_model_installations (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    provider varchar(127) NOT NULL,
    tenant_id uuid NOT NULL,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255)
);
CREATE INDEX idx_ai_model_installations_provider ON ai_model_installations (provider);
CREATE INDEX idx_ai_model_installations_tenant_id ON ai_model_installations (tenant_id);
CREATE INDEX idx_ai_model_installations_plugin_unique_identifier ON ai_model_installations (plugin_unique_identifier);
CREATE INDEX idx_ai_model_installations_plugin_id ON ai_model_installations (plugin_id);

CREATE TABLE install_tasks (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    status varchar(50) NOT NULL,
    tenant_id uuid NOT NULL,
    total_plugins bigint NOT NULL,
    completed_plugins bigint NOT NULL,
    plugins text
);
CREATE INDEX idx_install_tasks_status ON install_tasks (status);

CREATE TABLE tenant_storages (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id varchar(255) NOT NULL,
    plugin_id varchar(255) NOT NULL,
    size bigint NOT NULL
);
CREATE INDEX idx_tenant_storages_tenant_id ON tenant_storages (tenant_id);
CREATE INDEX idx_tenant_storages_plugin_id ON tenant_storages (plugin_id);

CREATE TABLE agent_strategy_installations (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id uuid NOT NULL,
    provider varchar(127) NOT NULL,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255)
);
CREATE INDEX idx_agent_strategy_installations_tenant_id ON agent_strategy_installations (tenant_id);
CREATE INDEX idx_agent_strategy_installations_provider ON agent_strategy_installations (provider);
CREATE INDEX idx_agent_strategy_installations_plugin_unique_identifier ON agent_strategy_installations (plugin_unique_identifier);
CREATE INDEX idx_agent_strategy_installations_plugin_id ON agent_strategy_installations (plugin_id);

CREATE TABLE trigger_installations (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    tenant_id uuid NOT NULL,
    provider varchar(127) NOT NULL,
    plugin_unique_identifier varchar(255),
    plugin_id varchar(255)
);
CREATE INDEX idx_trigger_installations_tenant_id ON trigger_installations (tenant_id);
CREATE INDEX idx_trigger_installations_provider ON trigger_installations (provider);
CREATE INDEX idx_trigger_installations_plugin_unique_identifier ON trigger_installations (plugin_unique_identifier);
CREATE INDEX idx_trigger_installations_plugin_id ON trigger_installations (plugin_id);

CREATE TABLE plugin_readme_records (
    id uuid PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    plugin_unique_identifier varchar(255) NOT NULL,
    language varchar(10) NOT NULL,
    content text NOT NULL
);
CREATE INDEX idx_plugin_readme_records_plugin_unique_identifier ON plugin_readme_records (plugin_unique_identifier);
