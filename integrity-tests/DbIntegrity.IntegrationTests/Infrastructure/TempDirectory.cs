namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>A directory of its own for a test's files (plans, local backups); deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dbi-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Path(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>The one repair-&lt;time&gt; folder repair apply --backup-dir made under a directory.</summary>
    public static string SingleBackup(string backupDirectory) => Directory.GetDirectories(backupDirectory, "repair-*").Single();

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
