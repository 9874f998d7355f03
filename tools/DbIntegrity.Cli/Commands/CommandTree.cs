using DbIntegrity.Cli.Commands.Backup;
using DbIntegrity.Cli.Commands.Migrate;
using DbIntegrity.Cli.Commands.Repair;
using DbIntegrity.Cli.Commands.Reproduce;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

/// <summary>Every command of <c>dbintegrity</c>, in one place.</summary>
internal static class CommandTree
{
    public static void Configure(IConfigurator config)
    {
        config.AddCommand<CheckCommand>("check")
            .WithDescription("Cross-check the plugin tables against the bucket and name every broken reference (read-only).")
            .WithExample("check")
            .WithExample("check", "--format", "json", "--output", "report.json")
            .WithExample("check", "--deep", "--grace", "10m");
        config.AddCommand<ServeCommand>("serve")
            .WithDescription("Always on: the check every --interval, with a status page, /api/report, /metrics, /healthz and /readyz (read-only).")
            .WithExample("serve", "--interval", "15m")
            .WithExample("serve", "--listen", "0.0.0.0:8080", "--unready-after", "3");
        config.AddCommand<GateCommand>("gate")
            .WithDescription("May the database be migrated? The check, every pending migration's preconditions, the applied migrations validated (read-only).")
            .WithExample("gate", "--to", "0.5.4")
            .WithExample("gate", "--format", "junit", "--output", "gate.xml", "--baseline", "dbintegrity-baseline.json");
        config.AddBranch("repair", repair =>
        {
            repair.SetDescription("Fix exactly what check found broken, with a backup and a way back.");
            repair.AddCommand<RepairPlanCommand>("plan")
                .WithDescription("Check, then propose the smallest fix for each error finding, or say why a person must act (read-only).")
                .WithExample("repair", "plan", "-o", "plan.json");
            repair.AddCommand<RepairApplyCommand>("apply")
                .WithDescription("Apply a plan: refuses a stale plan, writes the backup first, changes rows in one transaction.")
                .WithExample("repair", "apply", "plan.json", "--backup-dir", "./repair-backup");
        });
        config.AddCommand<BackupCommand>("backup")
            .WithDescription("Copy every package and installed marker the database refers to into a backup, with a verified manifest.")
            .WithExample("backup", "--to", "s3://plugin-backups/dify");
        config.AddCommand<RestoreCommand>("restore")
            .WithDescription("Bring missing objects back from a backup (never overwrites).")
            .WithExample("restore", "dbintegrity-backups/backup-20260101T120000000Z", "--dry-run");
        config.AddCommand<ReproduceCommand>("reproduce")
            .WithDescription("WRITES: seed a broken (or healthy) deployment into the configured, empty database and bucket, migrating first. For laptops, CI and demo stacks, never production.")
            .WithExample("reproduce", "--list")
            .WithExample("reproduce", "seed-incident")
            .WithExample("reproduce", "duplicate-rows", "--force");
        config.AddCommand<VersionCommand>("version").WithDescription("Print the tool version and the daemon versions its migrations cover.");
        config.AddBranch("migrate", migrate =>
        {
            migrate.SetDescription("Versioned schema migrations: the daemon's schema release by release, then DbIntegrity's own tables.");
            migrate.AddCommand<MigrateStatusCommand>("status").WithDescription("List every migration, applied or pending, with its daemon version.");
            migrate.AddCommand<MigrateUpCommand>("up")
                .WithDescription("Apply pending migrations (--to a migration id or daemon version; --preview prints the SQL; --gate checks before and inside the transaction).");
            migrate.AddCommand<MigrateDownCommand>("down").WithDescription("Revert migrations above --to (0 reverts everything; --preview prints the SQL).");
            migrate.AddCommand<MigrateBaselineCommand>("baseline").WithDescription("Adopt a database the daemon made itself: recognise its version and record it.");
        });
    }
}
