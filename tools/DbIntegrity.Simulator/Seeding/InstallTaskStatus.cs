namespace DbIntegrity.Simulator.Seeding;

/// <summary><c>install_tasks.status</c> (docs/daemon/database.md#tables). Successful tasks are deleted 120 s later; failed ones stay.</summary>
public enum InstallTaskStatus
{
    Pending,
    Running,
    Success,
    Failed,
}
