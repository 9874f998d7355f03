using DbIntegrity.Core.Database;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Tests.Migrating;

namespace DbIntegrity.Core.Tests.Rules;

/// <summary>
/// category-row-orphan reads every category table through one union: raw columns when the tables agree on their types
/// (converted to text after the anti-join), converted inside each branch when they do not, so that the union still forms.
/// </summary>
public sealed class CategoryRowOrphanSqlTests
{
    [Test]
    public void Tables_that_agree_on_types_are_unioned_as_they_are()
    {
        var sql = new CategoryRowOrphanRule().BuildSql(Latest());

        Assert.That(sql, Does.Contain("SELECT 'tool_installations'::text, id, tenant_id, plugin_id, plugin_unique_identifier, greatest(created_at, updated_at), provider FROM tool_installations"));
        Assert.That(sql, Does.Not.Contain("SELECT 'tool_installations'::text, id::text"));
    }

    [Test]
    public void A_table_whose_id_has_another_type_gets_every_branch_converted_to_text()
    {
        var schema = Latest();
        var table = schema.Tables["agent_strategy_installations"];
        var tables = new Dictionary<string, TableInfo>(schema.Tables)
        {
            ["agent_strategy_installations"] = table with { Columns = [.. table.Columns.Select(c => c.Name == "id" ? c with { DataType = "character varying" } : c)] },
        };

        var sql = new CategoryRowOrphanRule().BuildSql(schema with { Tables = tables });

        Assert.That(sql, Does.Contain("SELECT 'tool_installations'::text, id::text, tenant_id, plugin_id, plugin_unique_identifier::text"));
        Assert.That(sql, Does.Contain("SELECT 'agent_strategy_installations'::text, id::text, tenant_id, plugin_id, plugin_unique_identifier::text"));
    }

    private static DatabaseSchema Latest() => SchemaRecognizerTests.AsDatabase(UpstreamSchemas.All[^1], withLegacy: false);
}
