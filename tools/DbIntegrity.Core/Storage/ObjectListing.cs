using System.Runtime.CompilerServices;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Storage;

/// <summary>Helpers shared by <see cref="IObjectReader"/> implementations.</summary>
internal static class ObjectListing
{
    /// <summary>The entries of <paramref name="listing"/> (in UTF-8 byte order) whose key sorts after <paramref name="startAfter"/>.</summary>
    public static async IAsyncEnumerable<StoredObject> After(IAsyncEnumerable<StoredObject> listing, string startAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listing);
        await foreach (var entry in listing.WithCancellation(cancellationToken))
        {
            if (Utf8Ordinal.Instance.Compare(entry.Key, startAfter) > 0)
            {
                yield return entry;
            }
        }
    }
}
