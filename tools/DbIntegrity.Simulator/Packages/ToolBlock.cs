using System.Text.Json.Nodes;
using static DbIntegrity.Simulator.Packages.JsonTree;

namespace DbIntegrity.Simulator.Packages;

/// <summary>A tool provider with one tool (<c>ToolProviderDeclaration</c>, <c>tool_declaration.go</c>).</summary>
internal static class ToolBlock
{
    public static CategoryBlock Add(PackageSpec spec, IconNames icons, IReadOnlyList<string> tags, PackageFiles files)
    {
        var provider = spec.ProviderName;
        var tool = provider + "_search";
        var providerFile = $"provider/{provider}.yaml";
        var toolFile = $"tools/{tool}.yaml";

        var toolIdentity = Object(("author", spec.Author), ("name", tool), ("label", I18n($"{spec.LabelText} Search")));
        var toolDescription = Object(("human", I18n($"Searches with {spec.LabelText}.")), ("llm", $"A tool that searches with {spec.LabelText}. Input: a query."));
        files.AddYaml(toolFile, Object(
            ("identity", toolIdentity.DeepClone()),
            ("description", toolDescription.DeepClone()),
            ("parameters", Array(Object(
                ("name", "query"), ("type", "string"), ("required", true),
                ("label", I18n("Query")), ("human_description", I18n("What to search for")),
                ("llm_description", "The search query"), ("form", "llm")))),
            ("extra", PythonSource.Extra($"tools/{tool}.py"))));
        files.AddText($"tools/{tool}.py", PythonSource.Class(PythonSource.ClassName(tool), "Tool", "dify_plugin"));

        files.AddYaml(providerFile, Object(
            ("identity", Identity(spec, icons, tags, forYaml: true)),
            ("tools", Array(toolFile)),
            ("extra", PythonSource.Extra($"provider/{provider}.py"))));
        files.AddText($"provider/{provider}.py", PythonSource.Class(PythonSource.ClassName(provider) + "Provider", "ToolProvider", "dify_plugin"));

        var declaration = Object(
            ("identity", Identity(spec, icons, tags, forYaml: false)),
            ("credentials_schema", Array()),
            ("oauth_schema", null),
            ("tools", Array(Object(
                ("identity", toolIdentity),
                ("description", toolDescription),
                ("parameters", Array(Object(
                    ("name", "query"), ("label", I18n("Query")), ("human_description", I18n("What to search for")),
                    ("type", "string"), ("scope", null), ("form", "llm"), ("llm_description", "The search query"),
                    ("required", true), ("auto_generate", null), ("template", null), ("default", null),
                    ("min", null), ("max", null), ("multiple", false), ("precision", null),
                    ("options", Array()), ("show_on", Array())))),
                ("has_runtime_parameters", false)))));
        return new CategoryBlock("tool", "tools", providerFile, declaration);
    }

    /// <summary>
    /// <c>ToolProviderIdentity</c>, shared by tool, agent-strategy and trigger providers. Go writes <c>icon_dark</c> even
    /// when empty; an author's YAML leaves it out.
    /// </summary>
    public static JsonObject Identity(PackageSpec spec, IconNames icons, IReadOnlyList<string> tags, bool forYaml)
    {
        var identity = Object(
            ("author", spec.Author),
            ("name", spec.ProviderName),
            ("description", I18n(spec.DescriptionText)),
            ("icon", icons.Icon),
            ("icon_dark", icons.IconDark ?? string.Empty),
            ("label", I18n(spec.LabelText)),
            ("tags", Strings(tags)));
        if (forYaml && icons.IconDark is null)
        {
            identity.Remove("icon_dark");
        }

        return identity;
    }
}
