using static DbIntegrity.Simulator.Packages.JsonTree;

namespace DbIntegrity.Simulator.Packages;

/// <summary>An endpoint group with one endpoint (<c>EndpointProviderDeclaration</c>, <c>endpoint_declaration.go</c>).</summary>
internal static class EndpointBlock
{
    public static CategoryBlock Add(PackageSpec spec, PackageFiles files)
    {
        var endpoint = spec.Name.Replace('-', '_');
        var groupFile = $"group/{spec.Name}.yaml";
        var endpointFile = $"endpoints/{endpoint}.yaml";

        files.AddYaml(endpointFile, Object(("path", $"/{endpoint}"), ("method", "POST"), ("extra", PythonSource.Extra($"endpoints/{endpoint}.py"))));
        files.AddText($"endpoints/{endpoint}.py", PythonSource.Class(PythonSource.ClassName(endpoint) + "Endpoint", "Endpoint", "dify_plugin"));
        files.AddYaml(groupFile, Object(("settings", Array()), ("endpoints", Array(endpointFile))));

        var declaration = Object(
            ("settings", Array()),
            ("endpoints", Array(Object(("path", $"/{endpoint}"), ("method", "POST"), ("hidden", false)))),
            ("custom_initialize_process_enabled", false));
        return new CategoryBlock("endpoint", "endpoints", groupFile, declaration);
    }
}
