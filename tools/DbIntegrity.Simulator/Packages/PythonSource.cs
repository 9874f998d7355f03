
namespace DbIntegrity.Simulator.Packages;

/// <summary>Placeholder Python sources: the daemon never runs them in a seeded deployment, but a package has them.</summary>
internal static class PythonSource
{
    public static string Class(string className, string baseClass, string import) =>
        $"from {import} import {baseClass}\n\n\nclass {className}({baseClass}):\n    pass\n";

    public static string ClassName(string name) =>
        string.Concat(name.Split('_', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>The provider/tool YAML's <c>extra.python.source</c> block.</summary>
    public static System.Text.Json.Nodes.JsonObject Extra(string source) =>
        JsonTree.Object(("python", JsonTree.Object(("source", source))));
}
