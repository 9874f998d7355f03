using System.Text.Json.Nodes;
using static DbIntegrity.Simulator.Packages.JsonTree;

namespace DbIntegrity.Simulator.Packages;

/// <summary>
/// A model provider with one predefined LLM (<c>ModelProviderDeclaration</c>, <c>model_declaration.go</c>). Its
/// small and large icons are their own files under <c>_assets/</c>, as in real model plugins.
/// </summary>
internal static class ModelBlock
{
    public static CategoryBlock Add(PackageSpec spec, IconNames icons, PackageFiles files)
    {
        var provider = spec.ProviderName;
        var model = provider + "-chat";
        var providerFile = $"provider/{provider}.yaml";
        var small = files.AddIcon(DefaultIcon.Create("icon_s_en.svg", $"{spec.Author}/{spec.Name} small"));
        var large = files.AddIcon(DefaultIcon.Create("icon_l_en.svg", $"{spec.Author}/{spec.Name} large"));
        JsonNode? Dark() => icons.IconDark is { } dark ? Object(("en_US", dark)) : null;

        var help = Object(("title", I18n("Get your API Key")), ("url", I18n($"https://example.com/{provider}/api-keys")));
        var yamlForm = Object(
            ("variable", "api_key"), ("label", I18n("API Key")), ("type", "secret-input"), ("required", true),
            ("placeholder", I18n("Enter your API Key")));
        var yamlModel = Object(
            ("model", model), ("label", Object(("en_US", model))), ("model_type", "llm"), ("features", Strings(["agent-thought"])),
            ("model_properties", Object(("mode", "chat"), ("context_size", 128000))));

        var yaml = Object(
            ("provider", provider), ("label", I18n(spec.LabelText)), ("description", I18n(spec.DescriptionText)),
            ("icon_small", Object(("en_US", small))), ("icon_large", Object(("en_US", large))));
        if (icons.IconDark is not null)
        {
            yaml["icon_small_dark"] = Dark();
        }

        yaml["background"] = "#E5E7EB";
        yaml["help"] = help;
        yaml["supported_model_types"] = Strings(["llm"]);
        yaml["configurate_methods"] = Strings(["predefined-model"]);
        yaml["provider_credential_schema"] = Object(("credential_form_schemas", Array(yamlForm)));
        yaml["models"] = Object(("llm", Object(("predefined", Strings(["models/llm/*.yaml"])), ("position", "models/llm/_position.yaml"))));
        yaml["extra"] = Object(("python", Object(("provider_source", $"provider/{provider}.py"), ("model_sources", Strings(["models/llm/llm.py"])))));
        files.AddYaml(providerFile, yaml);
        files.AddText($"provider/{provider}.py", PythonSource.Class(PythonSource.ClassName(provider) + "Provider", "ModelProvider", "dify_plugin"));
        files.AddYaml($"models/llm/{model}.yaml", yamlModel);
        files.AddYaml("models/llm/_position.yaml", Strings([model]));
        files.AddText("models/llm/llm.py", PythonSource.Class(PythonSource.ClassName(provider) + "LargeLanguageModel", "LargeLanguageModel", "dify_plugin.interfaces.model.large_language_model"));

        // The decoder's view of the same files: every Go field present, defaults filled in.
        var form = Object(
            ("variable", "api_key"), ("label", I18n("API Key")), ("type", "secret-input"), ("required", true),
            ("default", null), ("options", Array()), ("placeholder", I18n("Enter your API Key")), ("max_length", 0),
            ("show_on", Array()));
        var modelDeclaration = Object(
            ("model", model), ("label", Object(("en_US", model))), ("model_type", "llm"), ("features", Strings(["agent-thought"])),
            ("fetch_from", "predefined-model"), ("model_properties", Object(("mode", "chat"), ("context_size", 128000))),
            ("deprecated", false), ("parameter_rules", Array()), ("pricing", null));

        var declaration = Object(
            ("provider", provider),
            ("label", I18n(spec.LabelText)),
            ("description", I18n(spec.DescriptionText)),
            ("icon_small", Object(("en_US", small))),
            ("icon_large", Object(("en_US", large))),
            ("icon_small_dark", Dark()),
            ("icon_large_dark", null),
            ("background", "#E5E7EB"),
            ("help", help.DeepClone()),
            ("supported_model_types", Strings(["llm"])),
            ("configurate_methods", Strings(["predefined-model"])),
            ("provider_credential_schema", Object(("credential_form_schemas", Array(form)))),
            ("model_credential_schema", null),
            ("position", Object(("llm", Strings([model])))),
            ("models", Array(modelDeclaration)));
        return new CategoryBlock("model", "models", providerFile, declaration);
    }
}
