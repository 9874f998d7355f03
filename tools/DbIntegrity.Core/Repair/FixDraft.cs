using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>A fix being planned: findings, facts and steps are added as the planner learns them, then frozen.</summary>
internal sealed class FixDraft(RepairKind kind, string summary, string effect)
{
    private readonly HashSet<string> _factKeys = new(StringComparer.Ordinal);

    public RepairKind Kind { get; } = kind;

    public string Summary { get; set; } = summary;

    public string Effect { get; } = effect;

    public List<FindingReference> Findings { get; } = [];

    public List<RepairFact> Facts { get; } = [];

    public List<RepairStep> Steps { get; } = [];

    /// <summary>Set when the plan is frozen; other fixes' summaries may name it.</summary>
    public string Id { get; set; } = "F?";

    public FixDraft Answers(Finding finding)
    {
        if (!Findings.Any(f => f.Fingerprint == finding.Fingerprint))
        {
            Findings.Add(new FindingReference(finding.Rule, finding.Fingerprint, finding.Message));
        }

        return this;
    }

    public FixDraft Fact(RepairFact fact)
    {
        if (_factKeys.Add(KeyOf(fact)))
        {
            Facts.Add(fact);
        }

        return this;
    }

    public FixDraft Step(RepairStep step)
    {
        Steps.Add(step);
        return this;
    }

    /// <summary>Adds <paramref name="column"/> to this fix's update of the row, or a new update step.</summary>
    public void Set(string table, string id, string column, System.Text.Json.JsonElement value)
    {
        var index = Steps.FindIndex(s => s is RepairStep.UpdateRow u && u.Table == table && u.Id == id);
        if (index < 0)
        {
            Steps.Add(new RepairStep.UpdateRow(table, id, new Dictionary<string, System.Text.Json.JsonElement> { [column] = value }));
            return;
        }

        var update = (RepairStep.UpdateRow)Steps[index];
        Steps[index] = update with { Set = new Dictionary<string, System.Text.Json.JsonElement>(update.Set) { [column] = value } };
    }

    public RepairFix Build() => new()
    {
        Id = Id,
        Kind = Kind,
        Summary = Summary,
        Effect = Effect,
        Findings = [.. Findings],
        Facts = [.. Facts],
        Steps = [.. Steps],
    };

    private static string KeyOf(RepairFact fact) => fact switch
    {
        RepairFact.Row row => $"row|{row.Table}|{row.Id}",
        RepairFact.RowCount count => $"count|{count.Table}|{string.Join(',', count.Where.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}",
        RepairFact.ObjectPresent present => $"object|{present.Key}",
        RepairFact.ObjectAbsent absent => $"object|{absent.Key}",
        _ => throw new InvalidOperationException($"Unknown fact {fact.GetType().Name}."),
    };
}
