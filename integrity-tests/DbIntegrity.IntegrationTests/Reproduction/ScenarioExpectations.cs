using System.Text.RegularExpressions;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Reproduction;

/// <summary>
/// A scenario's declared findings as one store holds them. A scenario declares its findings for S3, where every folder
/// marker it writes is a key under plugin/. Where the store keeps a marker elsewhere (Azurite drops the trailing "/", so
/// <c>plugin/</c> becomes the key <c>plugin</c>, outside the prefix) or not at all (a local folder: the marker is the
/// folder), the daemon never lists it, so there is one installed-key-invalid finding less per such marker.
/// </summary>
internal static partial class ScenarioExpectations
{
    private const string InstalledKeyInvalid = "installed-key-invalid";

    /// <summary>The markers the scenario wrote, from its breakage lines (<c>reproduce</c> prints them after "broken:").</summary>
    public static IReadOnlyList<string> MarkersIn(string breakage) => [.. Marker().Matches(breakage).Select(m => m.Groups[1].Value)];

    public static Dictionary<string, int> On(TestBucket bucket, IReadOnlyDictionary<string, int> declared, IReadOnlyList<string> markers)
    {
        var expected = new Dictionary<string, int>(declared, StringComparer.Ordinal);
        var unlisted = markers.Count(m => !bucket.FolderMarkerKeys(m).Any(k => k.StartsWith("plugin/", StringComparison.Ordinal)));
        if (unlisted > 0)
        {
            expected[InstalledKeyInvalid] -= unlisted;
            if (expected[InstalledKeyInvalid] == 0)
            {
                expected.Remove(InstalledKeyInvalid);
            }
        }

        return expected;
    }

    [GeneratedRegex(@"added the folder marker (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Marker();
}
