using System.Data.Common;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Plugins;
using Npgsql;
using NpgsqlTypes;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// An identifier column value that fails the daemon's regex (docs/daemon/identifiers.md). The check runs in C# with the exact port of
/// the daemon's regex, not in SQL, so PostgreSQL's regex dialect cannot let a value through that the daemon rejects.
/// It checks each distinct value once (tenants share identifiers: 78,000 rows held 10,000 at the benchmark's 10⁴), then
/// reads only the rows holding the values that failed; past <see cref="DistinctInvalidLimit"/> failed values (or
/// <see cref="InvalidCharactersLimit"/> characters of them) it stops collecting them and reads every row again instead,
/// so its memory stays bounded however broken the tables are.
/// </summary>
internal sealed class IdentifierInvalidRule : IDatabaseRule
{
    /// <summary>How many distinct failing values are remembered for the follow-up query's parameter.</summary>
    internal const int DistinctInvalidLimit = 10_000;

    /// <summary>How many characters of failing values are remembered (values have no length limit in some schemas).</summary>
    internal const int InvalidCharactersLimit = 4_000_000;

    private readonly HashSet<string> _invalid = new(StringComparer.Ordinal);
    private long _invalidCharacters;
    private bool _null;
    private bool _tooMany;

    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "identifier-invalid",
        Severity = Severity.Error,
        Summary = "A plugin_unique_identifier column value fails the daemon's identifier regex.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["plugin_unique_identifier"] },
    };

    public string BuildSql(DatabaseSchema schema) => IdentifierTables.DistinctSql(schema);

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var identifier = RowValues.Text(row, 0);
        if (PluginUniqueIdentifier.TryParse(identifier, out _))
        {
            return;
        }

        if (identifier is null)
        {
            _null = true;
        }
        else if (!_tooMany && _invalid.Count < DistinctInvalidLimit && _invalidCharacters + identifier.Length <= InvalidCharactersLimit)
        {
            _invalid.Add(identifier);
            _invalidCharacters += identifier.Length;
        }
        else
        {
            _tooMany = true;
        }
    }

    public FollowUpQuery? BuildFollowUp(DatabaseSchema schema)
    {
        if (_tooMany)
        {
            _invalid.Clear();
            return new FollowUpQuery(IdentifierTables.UnionSql(schema, "true"), []);
        }

        if (_invalid.Count == 0 && !_null)
        {
            return null;
        }

        // Byte for byte, as the distinct values were taken; IN (SELECT unnest(…)) hashes the values instead of
        // comparing each row with every one of them.
        const string failing = "plugin_unique_identifier::text COLLATE \"C\" IN (SELECT unnest($1::text[]))";
        var where = (_null, _invalid.Count > 0) switch
        {
            (true, true) => $"plugin_unique_identifier IS NULL OR {failing}",
            (true, false) => "plugin_unique_identifier IS NULL",
            _ => failing,
        };
        NpgsqlParameter[] parameters = _invalid.Count == 0 ? [] : [new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = _invalid.ToArray() }];
        _invalid.Clear();
        return new FollowUpQuery(IdentifierTables.UnionSql(schema, where), parameters);
    }

    public void EvaluateFollowUp(DbDataReader row, RuleContext context)
    {
        var identifier = RowValues.Text(row, 4);
        if (PluginUniqueIdentifier.TryParse(identifier, out _))
        {
            return;
        }

        var table = RowValues.Text(row, 0)!;
        var shown = identifier is null ? "NULL" : $"\"{identifier}\"";
        context.Report(
            $"{table} row {RowValues.Text(row, 1)} has plugin_unique_identifier {shown}, which the daemon rejects "
            + $"('plugin_unique_identifier is not valid'). Every daemon call that reads this row fails{(table == "plugin_installations" ? ", including the tenant's whole plugin list" : string.Empty)}.",
            new FindingLocation { Table = table, RowId = RowValues.Text(row, 1), Identifier = identifier, TenantId = RowValues.Text(row, 2), PluginId = RowValues.Text(row, 3) },
            RowValues.Time(row, 5));
    }
}
