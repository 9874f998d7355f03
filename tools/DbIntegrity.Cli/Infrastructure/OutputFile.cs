namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Checks an output path before any work starts, so a typo fails in a second instead of after the scan.</summary>
internal static class OutputFile
{
    /// <summary>Null when FILE can be created (its folder exists and FILE is not a folder), else what is wrong and what to do.</summary>
    public static string? CheckFolder(string? file, string flag)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }

        if (Directory.Exists(file))
        {
            return $"{flag} {file} is a folder; give a file name, e.g. {Path.Combine(file, "report.json")}.";
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        return folder is null || Directory.Exists(folder) ? null : $"{flag} {file}: the folder {folder} does not exist; create it first (mkdir -p {folder}).";
    }
}
