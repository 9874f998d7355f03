namespace DbIntegrity.Simulator.Reproduction;

/// <summary>What <see cref="ComposeVolume.LayOutAsync"/> laid out beside the daemon's object prefixes.</summary>
/// <param name="WorkingFolders">The plugins' working folders, e.g. <c>cwd/langgenius/openai-0.2.7@…</c>.</param>
/// <param name="WorkingFilesWritten">Files written under <c>cwd/</c> (existing ones are left as they are).</param>
/// <param name="PersistenceKeys">The KV entries written under the persistence prefix.</param>
public sealed record ComposeVolumeContents(IReadOnlyList<string> WorkingFolders, int WorkingFilesWritten, IReadOnlyList<string> PersistenceKeys);
