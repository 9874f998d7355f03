namespace DbIntegrity.Core.Gate;

/// <summary>
/// One validation of the applied migrations: that they are known to this build, in order, and each unchanged since it
/// was applied. <see cref="Name"/> is the JUnit test name.
/// </summary>
public sealed record MigrationCheck(string Name, MigrationCheckStatus Status, string Message, long? MigrationId = null);
