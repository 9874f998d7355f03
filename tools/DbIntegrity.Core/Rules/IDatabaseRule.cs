using System.Data.Common;
using DbIntegrity.Core.Database;

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
}
