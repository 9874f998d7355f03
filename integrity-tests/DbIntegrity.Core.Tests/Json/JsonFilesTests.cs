using System.Text.Json;
using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Json;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Repair;
using DbIntegrity.Migrations.Preconditions;

namespace DbIntegrity.Core.Tests.Json;

public sealed class JsonFilesTests
{
    [Test]
    public void The_gate_report_spells_multi_word_values_in_kebab_case_in_both_forms()
    {
        var report = Gate(PreconditionStatus.NotApplicable, PreconditionStatus.NotEvaluated, PreconditionStatus.NotDue, PreconditionStatus.Holds);

        foreach (var compact in new[] { false, true })
        {
            using var json = JsonDocument.Parse(GateJsonWriter.Write(report, compact));
            Assert.That(
                json.RootElement.GetProperty("preconditions").EnumerateArray().Select(p => p.GetProperty("status").GetString()),
                Is.EqualTo(new[] { "not-applicable", "not-evaluated", "not-due", "holds" }),
                compact ? "compact" : "indented");
        }
    }

    [Test]
    public void Plans_and_backup_manifests_share_the_convention()
    {
        foreach (var options in new[] { RepairPlanJson.Options, BackupJson.Options, JsonFiles.Options() })
        {
            Assert.That(JsonSerializer.Serialize(PreconditionStatus.NotApplicable, options), Is.EqualTo("\"not-applicable\""));
        }
    }

    [Test]
    public void A_number_where_an_enum_value_belongs_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PreconditionStatus>("3", JsonFiles.Options()));
        Assert.That(JsonSerializer.Deserialize<PreconditionStatus>("\"not-due\"", JsonFiles.Options()), Is.EqualTo(PreconditionStatus.NotDue));
    }

    [Test]
    public void Text_beside_the_files_names_a_value_as_they_spell_it() =>
        Assert.That(JsonFiles.Name(PreconditionStatus.NotApplicable), Is.EqualTo("not-applicable"));

    private static GateReport Gate(params PreconditionStatus[] statuses)
    {
        var migration = new MigrationDescriptor(202611240001, "test", null, typeof(JsonFilesTests));
        return new GateReport
        {
            Command = "gate",
            Verdict = GateVerdict.Pass,
            Blockers = [],
            StartedAt = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromSeconds(1),
            Database = "u@h:5432/dify_plugin",
            Storage = "s3://b",
            Direction = MigrationDirection.Up,
            TargetId = migration.Id,
            Pending = [migration],
            Preconditions = [.. statuses.Select((status, i) => new PreconditionResult
            {
                Migration = migration,
                Precondition = new MigrationPrecondition { Id = $"p{i}", Description = "d", OffendingRowsSql = "SELECT 1 WHERE false", Remedy = "r" },
                Status = status,
            })],
            MigrationChecks = [],
        };
    }
}
