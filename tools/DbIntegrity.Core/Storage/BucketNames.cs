using System.Text.RegularExpressions;

namespace DbIntegrity.Core.Storage;

/// <summary>S3's bucket naming rules (general purpose buckets), to tell "no such bucket" from "not a bucket name".</summary>
public static partial class BucketNames
{
    public static bool IsValid(string name) => !string.IsNullOrEmpty(name) && Rule().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\z")]
    private static partial Regex Rule();
}
