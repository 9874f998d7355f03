namespace DbIntegrity.Core.Tests.Architecture;

public sealed class CycleFinderTests
{
    private static Dictionary<string, IReadOnlySet<string>> Graph(params (string From, string To)[] edges) =>
        edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(e => e.To).ToHashSet());

    [Test]
    public void A_chain_and_a_diamond_have_no_cycle()
    {
        var graph = Graph(("Gate", "Scanning"), ("Gate", "Reporting"), ("Scanning", "Rules"), ("Reporting", "Rules"), ("Rules", "Storage"));

        Assert.That(CycleFinder.Cycles(graph), Is.Empty);
    }

    [Test]
    public void Two_namespaces_that_use_each_other_are_one_cycle()
    {
        var graph = Graph(("Rules", "Scanning"), ("Scanning", "Rules"), ("Scanning", "Storage"));

        Assert.That(CycleFinder.Cycles(graph), Is.EqualTo(new[] { new[] { "Rules", "Scanning" } }));
    }

    [Test]
    public void A_long_loop_and_a_separate_pair_are_two_cycles()
    {
        var graph = Graph(("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"), ("D", "E"), ("E", "D"));

        var cycles = CycleFinder.Cycles(graph);

        Assert.That(cycles, Has.Count.EqualTo(2));
        Assert.That(cycles, Has.Some.EqualTo(new[] { "A", "B", "C" }));
        Assert.That(cycles, Has.Some.EqualTo(new[] { "D", "E" }));
    }

    [Test]
    public void A_namespace_that_uses_itself_is_a_cycle_only_when_the_edge_is_given()
    {
        Assert.That(CycleFinder.Cycles(Graph(("A", "A"))), Is.EqualTo(new[] { new[] { "A" } }));
        Assert.That(CycleFinder.Cycles(Graph(("A", "B"))), Is.Empty);
    }
}
