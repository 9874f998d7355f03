using System.Data.Common;
using DbIntegrity.Core.Database;
using Npgsql;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A rule over the database alone: one query whose rows are streamed through a cursor (the anti-join or grouping runs
/// in PostgreSQL), each row turned into zero or one finding.
/// </summary>
internal interface IDatabaseRule : IIntegrityRule
{
    /// <summary>The query; called only when every table and column of <see cref="RuleDescriptor.RequiredColumns"/> exists.</summary>
    string BuildSql(DatabaseSchema schema);

    void Evaluate(DbDataReader row, RuleContext context);

    /// <summary>
    /// A second query, run in the same snapshot once every row of the first is evaluated, or null (the default, and
    /// whenever the first found nothing to look into). For a rule whose first query reads a few distinct values and
    /// whose second reads only the rows that hold the values that failed.
    /// </summary>
    FollowUpQuery? BuildFollowUp(DatabaseSchema schema) => null;

    /// <summary>One row of <see cref="BuildFollowUp"/>'s query.</summary>
    void EvaluateFollowUp(DbDataReader row, RuleContext context)
    {
    }
}

/// <summary>A rule's second query and its parameters.</summary>
internal sealed record FollowUpQuery(string Sql, IReadOnlyList<NpgsqlParameter> Parameters);
