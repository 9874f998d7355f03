namespace DbIntegrity.Core.Tests.Architecture;

/// <summary>Strongly connected components of a directed graph (Tarjan, 1972), keeping only those that form a cycle.</summary>
internal static class CycleFinder
{
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
    {
        var nodes = edges.Keys.Concat(edges.Values.SelectMany(t => t)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Successors(edges, node))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], index[next]);
                }
            }

            if (lowLink[node] != index[node])
            {
                return;
            }

            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);

            if (component.Count > 1 || Successors(edges, node).Contains(node))
            {
                cycles.Add([.. component.Order(StringComparer.Ordinal)]);
            }
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return cycles;
    }

    private static IEnumerable<string> Successors(IReadOnlyDictionary<string, IReadOnlySet<string>> edges, string node) =>
        edges.TryGetValue(node, out var targets) ? targets.Order(StringComparer.Ordinal) : [];
}
