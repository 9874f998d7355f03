using DbIntegrity.Core.Packages;
using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>
/// A realistic, consistent plugin deployment in one call: several tenants; tool, model and agent-strategy plugins
/// (datasource and trigger when the schema has their tables); two versions of one plugin used by different tenants;
/// an endpoint-only extension and a tool with endpoints; a debugging plugin; uploaded packages nobody installed; readme
/// records and a failed install task. Every invariant of docs/daemon/database.md#invariants and docs/daemon/rules.md holds, and only the harmless orphans of
/// docs/daemon/rules.md#harmless-orphans exist. The same options always give the same identifiers.
/// </summary>
public static class HealthyDeployment
{
    /// <summary>The plugin ids the deployment uses.</summary>
    public static class Plugins
    {
        public const string Google = "langgenius/google";
        public const string OpenAi = "langgenius/openai";
        public const string Agent = "langgenius/agent";
        public const string Notion = "langgenius/notion_datasource";
        public const string GithubTrigger = "langgenius/github_trigger";
        public const string Webhook = "langgenius/webhook";
        public const string SlackBot = "langgenius/slack_bot";
        public const string Tavily = "langgenius/tavily";
        public const string Jina = "langgenius/jina";

        /// <summary>The debugging plugin's name; its plugin id is <c>&lt;tenant&gt;/weather</c>.</summary>
        public const string RemoteWeather = "weather";
    }

    /// <summary>The deterministic id of the tenant at <paramref name="index"/>.</summary>
    public static Guid Tenant(int index) => new($"0190d5a1-7e57-7000-8000-{index:x12}");

    public static Task<SeededDeployment> SeedAsync(DeploymentSeeder seeder, CancellationToken cancellationToken) =>
        SeedAsync(seeder, new HealthyDeploymentOptions(), cancellationToken);

    public static async Task<SeededDeployment> SeedAsync(DeploymentSeeder seeder, HealthyDeploymentOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TenantCount, 3, nameof(options));

        var schema = seeder.Schema;
        var tenants = Enumerable.Range(0, options.TenantCount).Select(Tenant).ToList();
        var (t0, t1, t2) = (tenants[0], tenants[1], tenants[2]);

        var google = Build("google", "0.0.9", PluginCategory.Tool, p => p with
        {
            Label = "Google",
            IconDark = new PackageIcon("icon_dark.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"24\" height=\"24\" fill=\"#202124\"/></svg>\n"u8.ToArray()),
            TranslatedReadmes = new Dictionary<string, string> { ["zh_Hans"] = "# 谷歌搜索\n\n用谷歌搜索网页。\n" },
        });
        var openAiOld = Build("openai", "0.2.6", PluginCategory.Model, p => p with { Label = "OpenAI" });
        var openAi = Build("openai", "0.2.7", PluginCategory.Model, p => p with { Label = "OpenAI" });
        var openAiNext = Build("openai", "0.2.8", PluginCategory.Model, p => p with { Label = "OpenAI" });
        var agent = Build("agent", "0.0.14", PluginCategory.AgentStrategy, p => p with { Label = "Dify Agent Strategies" });
        var webhook = Build("webhook", "0.0.3", PluginCategory.Extension, p => p with { Label = "Webhook" });
        var slack = Build("slack_bot", "0.1.0", PluginCategory.Tool, p => p with { WithEndpoints = true, Label = "Slack Bot" });
        var tavily = Build("tavily", "0.0.5", PluginCategory.Tool, p => p with { Label = "Tavily" });
        var notion = schema.HasTable("datasource_installations") ? Build("notion_datasource", "0.1.0", PluginCategory.Datasource, p => p with { Label = "Notion" }) : null;
        var trigger = schema.HasTable("trigger_installations") ? Build("github_trigger", "0.1.0", PluginCategory.Trigger, p => p with { Label = "GitHub Trigger" }) : null;
        var jina = options.IncludeServerless ? Build("jina", "0.0.4", PluginCategory.Tool, p => p with { Label = "Jina AI" }) : null;

        var uploads = new List<SeededUpload>();
        foreach (var package in new[] { google, openAiOld, openAi, openAiNext, agent, webhook, slack, tavily, notion, trigger, jina }.OfType<DifyPackage>())
        {
            uploads.Add(await seeder.UploadAsync(package, cancellationToken));
        }

        var installations = new List<SeededInstallation>();
        async Task<SeededInstallation> Install(Guid tenant, DifyPackage package, string source = "marketplace")
        {
            var installation = await seeder.InstallAsync(tenant, package, source, cancellationToken);
            installations.Add(installation);
            return installation;
        }

        await Install(t0, google);
        await Install(t1, google, "package");
        await Install(t2, google);
        await Install(t0, openAiOld);
        await Install(t1, openAi);
        await Install(t0, agent);
        await Install(t2, agent, "github");
        var webhookT0 = await Install(t0, webhook);
        var webhookT2 = await Install(t2, webhook);
        var slackT1 = await Install(t1, slack);
        if (notion is not null)
        {
            await Install(t1, notion);
        }

        if (trigger is not null)
        {
            await Install(t2, trigger);
        }

        foreach (var tenant in tenants.Skip(3))
        {
            await Install(tenant, google);
            await Install(tenant, openAi);
        }

        if (jina is not null)
        {
            installations.Add(await seeder.InstallServerlessAsync(t2, jina, cancellationToken));
        }

        if (options.IncludeRemote)
        {
            var weather = PackageBuilder.Build(new PackageSpec("acme", Plugins.RemoteWeather, "0.0.1", PluginCategory.Tool) { Label = "Weather (debugging)" });
            installations.Add(await seeder.InstallRemoteAsync(t1, weather, cancellationToken));
        }

        var endpoints = new List<SeededEndpoint>
        {
            await seeder.AddEndpointAsync(webhookT0, "default", cancellationToken),
            await seeder.AddEndpointAsync(webhookT0, "staging", cancellationToken),
            await seeder.AddEndpointAsync(webhookT2, "default", cancellationToken),
            await seeder.AddEndpointAsync(slackT1, "slack events", cancellationToken),
        };

        var readmes = new List<SeededReadme>();
        if (options.IncludeReadmes && schema.HasTable("plugin_readme_records"))
        {
            readmes.AddRange(await seeder.AddReadmesAsync(google, cancellationToken));
            readmes.AddRange(await seeder.AddReadmesAsync(openAi, cancellationToken));
        }

        var tasks = new List<SeededInstallTask>();
        if (options.IncludeFailedInstallTask)
        {
            tasks.Add(await seeder.AddInstallTaskAsync(t2, InstallTaskStatus.Failed, [tavily], cancellationToken));
        }

        return new SeededDeployment(tenants, uploads, installations, endpoints, readmes, tasks);
    }

    private static DifyPackage Build(string name, string version, PluginCategory category, Func<PackageSpec, PackageSpec> configure) =>
        PackageBuilder.Build(configure(new PackageSpec("langgenius", name, version, category)));
}
