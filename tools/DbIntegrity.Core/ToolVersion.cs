using System.Reflection;

namespace DbIntegrity.Core;

/// <summary>The version of this build, as recorded beside checksums and gate runs.</summary>
internal static class ToolVersion
{
    /// <summary>The informational version (at most 64 characters, the width of the columns that record it).</summary>
    public static string Current { get; } = Truncate(
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64];
}
