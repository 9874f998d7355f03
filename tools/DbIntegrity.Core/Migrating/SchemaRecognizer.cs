using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Recognises the daemon release of a database the daemon made itself: the newest release whose own additions are
/// present. Against it, extra tables, columns and indexes are ignored (AutoMigrate never drops anything, reference
/// docs/daemon/database.md#migrations); legacy pieces of the chain may be present or absent; every other expected piece that is missing or shaped
/// differently is drift.
/// </summary>
internal static class SchemaRecognizer
{
    /// <summary>True when the database holds at least one table a daemon creates.</summary>
    public static bool HasDaemonTables(DatabaseSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Tables.Keys.Any(UpstreamSchemas.DaemonTableNames.Contains);
    }

    /// <summary>
    /// The newest release whose own additions (a table, column or index that release introduced, by name) the database
    /// has, with everything of that release it lacks or has in another shape listed as drift; null when the database has
    /// no daemon table at all. A piece a release added exists only from that release on (AutoMigrate never drops
    /// anything), so its presence dates the database even when details differ from what the chain builds (e.g.
    /// <c>plugin_readmes</c>, whose columns the reference does not give). Choosing by least drift instead would fall
    /// back to an older release that ignores those pieces as extras, and <c>migrate up</c> would then try to create
    /// tables that exist.
    /// </summary>
    public static SchemaRecognition? Recognize(DatabaseSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!HasDaemonTables(schema))
        {
            return null;
        }

        var releases = UpstreamSchemas.All;
        var best = releases[0];
        for (var i = releases.Count - 1; i > 0; i--)
        {
            if (Additions(releases[i - 1], releases[i]).Any(piece => piece(schema)))
            {
                best = releases[i];
                break;
            }
        }

        return new SchemaRecognition(best.Version, Compare(best, schema), Leftovers(best, schema));
    }

    /// <summary>Every expected piece of <paramref name="expected"/> the database lacks or has in another shape.</summary>
    public static IReadOnlyList<SchemaDrift> Compare(ExpectedSchema expected, DatabaseSchema schema)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(schema);
        var drift = new List<SchemaDrift>();
        foreach (var table in expected.Tables)
        {
            var actual = schema.Table(table.Name);
            if (actual is null)
            {
                if (!table.IsLegacy)
                {
                    drift.Add(new SchemaDrift($"table {table.Name}", "a table", "none"));
                }

                continue;
            }

            // A legacy table is no longer migrated by the daemon, so its shape is whatever its last release left.
            if (table.IsLegacy)
            {
                continue;
            }

            foreach (var column in table.Columns)
            {
                var found = actual.Column(column.Name);
                if (found is null)
                {
                    if (!column.IsLegacy)
                    {
                        drift.Add(new SchemaDrift($"column {table.Name}.{column.Name}", column.Describe(), "none"));
                    }
                }
                else if (!Matches(column, found))
                {
                    drift.Add(new SchemaDrift($"column {table.Name}.{column.Name}", column.Describe(), Describe(found)));
                }
            }
        }

        foreach (var index in expected.Indexes)
        {
            if (expected.Table(index.Table) is { IsLegacy: true } || !schema.HasTable(index.Table))
            {
                continue;
            }

            var found = schema.Index(index.Name);
            if (found is null)
            {
                if (!index.IsLegacy)
                {
                    drift.Add(new SchemaDrift($"index {index.Name}", index.Describe(), "none"));
                }
            }
            else if (!Matches(index, found))
            {
                drift.Add(new SchemaDrift($"index {index.Name}", index.Describe(), Describe(found)));
            }
        }

        return drift;
    }

    /// <summary>Tests for the tables, columns and indexes <paramref name="release"/> has by name and <paramref name="previous"/> has not.</summary>
    private static IEnumerable<Func<DatabaseSchema, bool>> Additions(ExpectedSchema previous, ExpectedSchema release)
    {
        foreach (var table in release.Tables)
        {
            if (previous.Table(table.Name) is not { } before)
            {
                yield return schema => schema.HasTable(table.Name);
                continue;
            }

            foreach (var column in table.Columns.Where(c => before.Columns.All(b => b.Name != c.Name)))
            {
                yield return schema => schema.HasColumn(table.Name, column.Name);
            }
        }

        foreach (var index in release.Indexes.Where(i => previous.Indexes.All(p => p.Name != i.Name)))
        {
            yield return schema => schema.Index(index.Name) is not null;
        }
    }

    private static IReadOnlyList<string> Leftovers(ExpectedSchema expected, DatabaseSchema schema)
    {
        var leftovers = new List<string>();
        leftovers.AddRange(expected.Tables.Where(t => t.IsLegacy && schema.HasTable(t.Name)).Select(t => $"table {t.Name}"));
        leftovers.AddRange(expected.Tables.Where(t => !t.IsLegacy)
            .SelectMany(t => t.Columns.Where(c => c.IsLegacy && schema.HasColumn(t.Name, c.Name)).Select(c => $"column {t.Name}.{c.Name}")));
        leftovers.AddRange(expected.Indexes.Where(i => i.IsLegacy && schema.Index(i.Name) is not null).Select(i => $"index {i.Name}"));
        foreach (var table in expected.Tables.Where(t => !t.IsLegacy))
        {
            foreach (var column in table.Columns.Where(c => c.LegacyDefault is not null))
            {
                if (schema.Table(table.Name)?.Column(column.Name)?.Default == column.LegacyDefault)
                {
                    leftovers.Add($"default {column.LegacyDefault} on {table.Name}.{column.Name}");
                }
            }
        }

        leftovers.AddRange(UpstreamSchemas.PreReleaseTableNames.Where(schema.HasTable).Select(t => $"table {t} (pre-1.0 beta)"));
        return leftovers;
    }

    private static bool Matches(ExpectedColumn expected, ColumnInfo actual) =>
        expected.DataType == actual.DataType
        && expected.IsNullable == actual.IsNullable
        && (actual.Default == expected.Default || (actual.Default is not null && actual.Default == expected.LegacyDefault));

    private static bool Matches(ExpectedIndex expected, IndexInfo actual) =>
        actual.Table == expected.Table
        && actual.Columns.SequenceEqual(expected.Columns)
        && expected.Kind switch
        {
            ExpectedIndexKind.PrimaryKey => actual.IsPrimaryKey,
            ExpectedIndexKind.UniqueConstraint => actual.IsUnique && actual.ConstraintName == expected.Name,
            ExpectedIndexKind.Unique => actual.IsUnique && !actual.IsPrimaryKey,
            _ => !actual.IsUnique,
        };

    private static string Describe(ColumnInfo column) =>
        $"{column.DataType}{(column.IsNullable ? string.Empty : " NOT NULL")}{(column.Default is null ? string.Empty : $" DEFAULT {column.Default}")}";

    private static string Describe(IndexInfo index) =>
        $"{(index.IsPrimaryKey ? "primary key" : index.ConstraintName is not null ? "unique constraint" : index.IsUnique ? "unique index" : "index")} on {index.Table}({string.Join(", ", index.Columns)})";
}
