namespace DbIntegrity.Core.Rules;

/// <summary>
/// A fact a finding depends on, checked again just before the finding is reported: the daemon may be writing while
/// a check runs, so "missing" is confirmed against the live state, outside the scan's snapshot.
/// </summary>
public abstract record Recheck
{
    private Recheck()
    {
    }

    /// <summary>Holds when a HEAD request says the object does not exist.</summary>
    public sealed record ObjectMissing(string Key) : Recheck;

    /// <summary>Holds when a HEAD request says the object exists.</summary>
    public sealed record ObjectPresent(string Key) : Recheck;

    /// <summary>Holds when the query, run on a fresh snapshot, returns true. Parameters are positional ($1, $2…).</summary>
    public sealed record Query(string Sql, IReadOnlyList<object> Parameters) : Recheck
    {
        public Query(string sql, params object[] parameters)
            : this(sql, (IReadOnlyList<object>)parameters)
        {
        }
    }
}
