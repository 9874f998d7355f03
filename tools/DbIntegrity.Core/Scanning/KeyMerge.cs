using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Scanning;

/// <summary>Helpers for merging several <see cref="SortedSource{T}"/> by key.</summary>
internal static class KeyMerge
{
    /// <summary>The smallest current key among the sources, or null when all are exhausted.</summary>
    public static string? NextKey(params ReadOnlySpan<string?> currentKeys)
    {
        string? smallest = null;
        foreach (var key in currentKeys)
        {
            if (key is not null && (smallest is null || Utf8Ordinal.Instance.Compare(key, smallest) < 0))
            {
                smallest = key;
            }
        }

        return smallest;
    }

    public static string? KeyOf<T>(SortedSource<T> source) => source.HasCurrent ? source.CurrentKey : null;
}
