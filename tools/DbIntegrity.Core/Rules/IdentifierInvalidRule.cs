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
/// <para>
/// When the identifier pass runs, the tables it reads whole (<see cref="IPassSharedRule.PassTables"/>, and
/// <c>plugin_installations</c> when it reads their digest) are left out of the distinct values but for a probe for
/// NULL: the pass hands over each of their identifiers, already parsed for the merge (<see cref="Observe"/>). That took
/// the query from 0.5–0.7 s to 0.20–0.27 s of PostgreSQL's CPU at 10⁵ identifiers (docs/benchmarks.md). The follow-up then waits for the pass.
/// When the pass reads the installations' digest, the category tables it joins are left out as well: the digest tells
/// whether each of their rows holds its installation's identifier (which the pass checked), and only when one may not
/// are their distinct values read, after the pass (<see cref="AfterPassSql"/>): at 10⁵ that query was 0.12–0.24 s.
/// </para>
/// </summary>
internal sealed class IdentifierInvalidRule : IPassSharedRule
{
    /// <summary>How many distinct failing values are remembered for the follow-up query's parameter.</summary>
    internal const int DistinctInvalidLimit = 10_000;

    /// <summary>How many characters of failing values are remembered (values have no length limit in some schemas).</summary>
    internal const int InvalidCharactersLimit = 4_000_000;

    // Kept apart: the query's rows arrive on one connection while the pass hands over identifiers on another.
    private readonly FailingValues _fromQuery = new();
    private readonly FailingValues _fromPass = new();
    private bool _null;

    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "identifier-invalid",
        Severity = Severity.Error,
        Summary = "A plugin_unique_identifier column value fails the daemon's identifier regex.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["plugin_unique_identifier"] },
    };

    public bool PassRuns { get; set; }

    public bool PassReadsInstallations { get; set; }

    public bool FollowUpAfterPass => PassRuns;

    // The installations' digest groups identifiers byte for byte, so each spelling a case-insensitive column holds is a
    // group of its own (InstallationDigest.Sql).
    // When the pass reads the digest, the category tables it joins are left out too: the digest tells whether every
    // category row holds its installation's identifier, which the pass checks; only when one may not are their values
    // read, after the pass (AfterPassSql).
    public string BuildSql(DatabaseSchema schema) => !PassRuns ? IdentifierTables.DistinctSql(schema)
        : PassReadsInstallations ? IdentifierTables.DistinctSql(schema, [.. IPassSharedRule.PassTables, "plugin_installations"], except: InstallationRow.CategoryTablesIn(schema))
        : IdentifierTables.DistinctSql(schema, IPassSharedRule.PassTables);

    public string? AfterPassSql(DatabaseSchema schema, DigestObservations seen) =>
        seen.CategoryIdentifiersMayDiffer ? IdentifierTables.DistinctSql(schema, only: InstallationRow.CategoryTablesIn(schema)) : null;

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
        else
        {
            _fromQuery.Add(identifier);
        }
    }

    // The pass parsed the identifier for its merge (a group's Parsed is null exactly when the daemon's regex rejects its
    // key); an identifier only installations hold is a group too when the pass reads their digest.
    public void Observe(IdentifierGroup group, RuleContext context)
    {
        if (group.Parsed is null && (group.Plugins.Count > 0 || group.Declarations.Count > 0 || group.Installed))
        {
            _fromPass.Add(group.Key);
        }
    }

    public FollowUpQuery? BuildFollowUp(DatabaseSchema schema)
    {
        var tooMany = _fromQuery.TooMany || _fromPass.TooMany;
        var failing = tooMany ? [] : _fromQuery.Values.Union(_fromPass.Values, StringComparer.Ordinal).ToArray();
        _fromQuery.Clear();
        _fromPass.Clear();
        // Each set keeps within the limits; together they may not.
        if (tooMany || failing.Length > DistinctInvalidLimit || failing.Sum(v => (long)v.Length) > InvalidCharactersLimit)
        {
            return new FollowUpQuery(IdentifierTables.UnionSql(schema, "true"), []);
        }

        if (failing.Length == 0 && !_null)
        {
            return null;
        }

        // Byte for byte, as the distinct values were taken; IN (SELECT unnest(…)) hashes the values instead of
        // comparing each row with every one of them.
        const string inFailing = "plugin_unique_identifier::text COLLATE \"C\" IN (SELECT unnest($1::text[]))";
        var where = (_null, failing.Length > 0) switch
        {
            (true, true) => $"plugin_unique_identifier IS NULL OR {inFailing}",
            (true, false) => "plugin_unique_identifier IS NULL",
            _ => inFailing,
        };
        NpgsqlParameter[] parameters = failing.Length == 0 ? [] : [new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = failing }];
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

    /// <summary>Distinct failing values, up to <see cref="DistinctInvalidLimit"/> of them and <see cref="InvalidCharactersLimit"/> characters; beyond, only that there were more.</summary>
    private sealed class FailingValues
    {
        private readonly HashSet<string> _values = new(StringComparer.Ordinal);
        private long _characters;

        public bool TooMany { get; private set; }

        public IReadOnlyCollection<string> Values => _values;

        public void Add(string value)
        {
            if (TooMany || _values.Contains(value))
            {
                return;
            }

            if (_values.Count < DistinctInvalidLimit && _characters + value.Length <= InvalidCharactersLimit)
            {
                _values.Add(value);
                _characters += value.Length;
            }
            else
            {
                TooMany = true;
                _values.Clear();
            }
        }

        public void Clear() => _values.Clear();
    }
}
