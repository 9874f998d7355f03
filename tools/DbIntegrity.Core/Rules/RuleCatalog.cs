namespace DbIntegrity.Core.Rules;

/// <summary>Every rule in this assembly, found by reflection: adding a rule is adding one class.</summary>
public static class RuleCatalog
{
    private static readonly Type[] RuleTypes = [.. typeof(RuleCatalog).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrityRule).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>The descriptors of every rule, by id.</summary>
    public static IReadOnlyList<RuleDescriptor> Descriptors { get; } = [.. CreateAll().Select(r => r.Descriptor).OrderBy(d => d.Id, StringComparer.Ordinal)];

    /// <summary>Fresh instances of every rule (rules may keep per-scan state).</summary>
    public static IReadOnlyList<IIntegrityRule> CreateAll() => [.. RuleTypes.Select(t => (IIntegrityRule)Activator.CreateInstance(t)!)];

    /// <summary>Fails with the list of valid ids when a requested id is unknown.</summary>
    public static void Validate(IEnumerable<string> ids)
    {
        var known = Descriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = ids.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new ConfigurationException($"Unknown rule id(s): {string.Join(", ", unknown)}. Known rules: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }
    }
}
