using System.Text;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Tests.Architecture.Samples.Left;

namespace DbIntegrity.Core.Tests.Architecture;

/// <summary>
/// Core's namespaces form a one-way graph (see <see cref="NamespaceGraph"/> for what the reader sees and cannot see):
/// a rule never needs the scanner that runs it, a report never needs the file that compares two reports.
/// </summary>
public sealed class NamespaceCycleTests
{
    [Test]
    public void Core_namespaces_use_each_other_one_way_only()
    {
        var graph = NamespaceGraph.Read(typeof(Deployment).Assembly.Location, "DbIntegrity.Core");

        var cycles = CycleFinder.Cycles(graph.Edges);

        Assert.That(graph.Edges, Is.Not.Empty, "the reader found no namespace using another in Core: it is not reading the assembly");
        Assert.That(cycles, Is.Empty, () => Describe(graph, cycles));
    }

    [Test]
    public void The_reader_sees_a_use_that_only_a_lambda_in_an_async_method_has_and_one_in_a_generic_argument()
    {
        var graph = NamespaceGraph.Read(typeof(LeftUser).Assembly.Location, "DbIntegrity.Core.Tests.Architecture.Samples");
        const string left = "DbIntegrity.Core.Tests.Architecture.Samples.Left";
        const string right = "DbIntegrity.Core.Tests.Architecture.Samples.Right";

        var cycles = CycleFinder.Cycles(graph.Edges);

        Assert.That(graph.Uses(left, right), Is.EqualTo(new[] { "LeftUser uses RightThing" }));
        Assert.That(graph.Uses(right, left), Is.EqualTo(new[] { "RightThing uses LeftMarker" }));
        Assert.That(cycles, Is.EqualTo(new[] { new[] { left, right } }));
    }

    private static string Describe(NamespaceGraph graph, IReadOnlyList<IReadOnlyList<string>> cycles)
    {
        var text = new StringBuilder("Namespaces in Core that use each other (move the shared type to the namespace that owns the idea):\n");
        foreach (var cycle in cycles)
        {
            text.AppendLine($"- cycle: {string.Join(", ", cycle)}");
            foreach (var from in cycle)
            {
                foreach (var to in graph.Edges[from].Where(cycle.Contains).Order(StringComparer.Ordinal))
                {
                    text.AppendLine($"    {from} -> {to}: {string.Join("; ", graph.Uses(from, to))}");
                }
            }
        }

        return text.ToString();
    }
}
