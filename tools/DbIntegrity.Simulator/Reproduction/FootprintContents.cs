namespace DbIntegrity.Simulator.Reproduction;

/// <summary>The daemon tables that have rows and the daemon prefixes that have objects.</summary>
public sealed record FootprintContents(IReadOnlyList<string> TablesWithRows, IReadOnlyList<string> PrefixesWithObjects)
{
    public bool IsEmpty => TablesWithRows.Count == 0 && PrefixesWithObjects.Count == 0;

    /// <summary>"tables plugins, endpoints have rows; objects under plugin/, assets/".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (TablesWithRows.Count > 0)
        {
            parts.Add($"the tables {string.Join(", ", TablesWithRows)} have rows");
        }

        if (PrefixesWithObjects.Count > 0)
        {
            parts.Add($"the bucket has objects under {string.Join(", ", PrefixesWithObjects)}");
        }

        return parts.Count == 0 ? "nothing" : string.Join("; ", parts);
    }
}
