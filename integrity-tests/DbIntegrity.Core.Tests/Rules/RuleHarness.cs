using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Tests.Rules;

/// <summary>Evaluates one identifier rule on hand-made groups and shows what it reported, before rechecks.</summary>
internal sealed class RuleHarness
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    public const string Sha = "3f2a9c1d5e7b8a0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c";

    private static readonly DatabaseSchema Schema = new("public", new Dictionary<string, TableInfo>(), []);
    private readonly TimeSpan _grace;

    public RuleHarness(IIntegrityRule rule, TimeSpan? grace = null)
    {
        Rule = rule;
        _grace = grace ?? TimeSpan.FromMinutes(5);
    }

    public IIntegrityRule Rule { get; }

    /// <summary>Candidates the last evaluation left out as younger than the grace period.</summary>
    public int InFlight { get; private set; }

    /// <summary>What one evaluation reported, with rechecks (candidates are listed as if their rechecks held).</summary>
    public List<(Finding Finding, Recheck[] Rechecks)> Evaluate(IdentifierGroup group)
    {
        var collector = new ScanCollector(maxInfoPerRule: 1000);
        ((IIdentifierRule)Rule).Evaluate(group, new RuleContext(Rule, Schema, StorageLayout.Default, _grace, Now, collector));
        InFlight = collector.InFlight;
        var reported = collector.DrainCandidates();
        reported.AddRange(collector.Findings().Select(f => (f, Array.Empty<Recheck>())));
        return reported;
    }

    public static StoredObject Object(string key, TimeSpan? age = null) => new(key, 10, Now - (age ?? TimeSpan.FromHours(1)), "\"etag\"");

    public static PluginRow Plugin(string identifier, string installType = "local", long refers = 1, TimeSpan? age = null) =>
        new(Guid.NewGuid().ToString(), identifier, identifier.Split(':')[0], installType, refers, Now - (age ?? TimeSpan.FromHours(1)), Now - (age ?? TimeSpan.FromHours(1)));

    public static DeclarationRow Declaration(string identifier, TimeSpan? age = null) =>
        new(Guid.NewGuid().ToString(), identifier, identifier.Split(':')[0], Now - (age ?? TimeSpan.FromHours(1)), Now - (age ?? TimeSpan.FromHours(1)));

    public static IdentifierGroup Group(string key, StoredObject? installed = null, StoredObject? package = null, PluginRow[]? plugins = null, DeclarationRow[]? declarations = null)
    {
        Core.Plugins.PluginUniqueIdentifier.TryParse(key, out var parsed);
        return new IdentifierGroup
        {
            Key = key,
            Parsed = parsed,
            InstalledObject = installed,
            PackageObject = package,
            Plugins = plugins ?? [],
            Declarations = declarations ?? [],
        };
    }
}
