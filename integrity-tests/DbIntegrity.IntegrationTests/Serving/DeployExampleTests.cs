using System.Reflection;
using System.Text.Json;
using DbIntegrity.Cli.Commands;
using DbIntegrity.Cli.Commands.Repair;
using DbIntegrity.Cli.Rendering;
using DbIntegrity.Cli.Serving;
using DbIntegrity.Core.Configuration;
using Spectre.Console.Cli;
using YamlDotNet.Serialization;

namespace DbIntegrity.IntegrationTests.Serving;

/// <summary>
/// The Kubernetes examples in docs/k8s and the ECS definitions in docs/ecs parse and use the CLI's real flags and serve's
/// real endpoints: a renamed flag or path fails here, not in someone's cluster. (No cluster and no AWS account on this
/// machine: this is as far as they can be tested.)
/// </summary>
public sealed class DeployExampleTests
{
    private static readonly string[] Writes = ["repair", "reproduce", "restore", "migrate", "backup"];

    [Test]
    public void The_deployment_runs_serve_with_real_flags_and_probes_its_real_endpoints()
    {
        var container = Containers(Load("deployment.yaml")["spec"]).Single();
        var args = Strings(container["args"]);
        var ports = List(container["ports"]).Select(Map).ToList();
        var listen = ServeSettings.ParseListen(Value(args, "--listen"));

        Assert.Multiple(() =>
        {
            Assert.That(args[0], Is.EqualTo("serve"));
            Assert.That(Flags(args), Is.SubsetOf(LongNames(typeof(ServeSettings))));
            Assert.That(Durations.Parse(Value(args, "--interval"), "--interval"), Is.GreaterThan(TimeSpan.Zero));
            Assert.That(Durations.Parse(Value(args, "--jitter"), "--jitter"), Is.GreaterThanOrEqualTo(TimeSpan.Zero));
            Assert.That(ports.Single()["containerPort"], Is.EqualTo(listen.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(Map(Map(container["livenessProbe"])["httpGet"])["path"], Is.EqualTo(ServeHost.HealthPath));
            Assert.That(Map(Map(container["readinessProbe"])["httpGet"])["path"], Is.EqualTo(ServeHost.ReadyPath));
            AssertSecretsComeFromSecrets(container);
        });
    }

    [Test]
    public void The_service_points_prometheus_at_metrics_on_the_named_port()
    {
        var service = Load("service.yaml");
        var annotations = Map(Map(service["metadata"])["annotations"]);
        var container = Containers(Load("deployment.yaml")["spec"]).Single();
        var portName = Map(List(container["ports"]).Single())["name"];

        Assert.Multiple(() =>
        {
            Assert.That(Map(service["spec"])["type"], Is.EqualTo("ClusterIP"), "no auth of its own: never a LoadBalancer");
            Assert.That(annotations["prometheus.io/path"], Is.EqualTo(ServeHost.MetricsPath));
            Assert.That(Map(List(Map(service["spec"])["ports"]).Single())["targetPort"], Is.EqualTo(portName));
        });
    }

    [Test]
    public void The_cronjob_writes_prometheus_metrics_with_real_check_flags_and_pushes_that_file()
    {
        var jobSpec = Map(Map(Map(Map(Load("cronjob.yaml")["spec"])["jobTemplate"])["spec"]));
        var containers = Containers(jobSpec).ToList();
        var check = containers.Single(c => (string)c["name"] == "check");
        var push = containers.Single(c => (string)c["name"] == "push");
        var args = Strings(check["args"]);

        Assert.Multiple(() =>
        {
            Assert.That(args[0], Is.EqualTo("check"));
            Assert.That(Flags(args), Is.SubsetOf(LongNames(typeof(CheckSettings))));
            Assert.That(ReportFormats.Get(Value(args, "--format")), Is.InstanceOf<PrometheusFormat>());
            Assert.That(string.Join(' ', Strings(push["args"])), Does.Contain("@" + Value(args, "--output")).And.Contain("'# EOF'"));
            AssertSecretsComeFromSecrets(check);
        });
    }

    /// <summary>The command each ECS task definition runs, and the settings that define its flags.</summary>
    private static readonly Dictionary<string, Type> EcsCommands = new(StringComparer.Ordinal)
    {
        ["check"] = typeof(CheckSettings),
        ["gate"] = typeof(GateSettings),
        ["serve"] = typeof(ServeSettings),
        ["repair plan"] = typeof(RepairPlanCommand.Settings),
    };

    [TestCase("task-definition.json", "check")]
    [TestCase("task-definition-repair.json", "repair plan")]
    [TestCase("task-definition-serve.json", "serve")]
    public void An_ecs_task_definition_runs_a_real_command_hardened_with_its_secrets_in_secrets(string file, string command)
    {
        var container = EcsContainer(file);
        var args = container.GetProperty("command").EnumerateArray().Select(a => a.GetString()!).ToList();
        var words = command.Split(' ');
        var environment = container.GetProperty("environment").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        var secrets = container.GetProperty("secrets").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(args.Take(words.Length), Is.EqualTo(words));
            Assert.That(Flags(args), Is.SubsetOf(LongNames(EcsCommands[command])));
            Assert.That(container.GetProperty("readonlyRootFilesystem").GetBoolean(), Is.True);
            Assert.That(container.GetProperty("user").GetString(), Is.EqualTo("1654"), "the image's non-root app user");
            Assert.That(environment, Has.None.Contains("PASSWORD").And.None.Contains("SECRET").And.None.Contains("WEBHOOK").And.None.Contains("DB_HOST"),
                "secrets come from Secrets Manager or SSM, never from environment");
            Assert.That(secrets, Does.Contain("DB_PASSWORD"));
        });
    }

    [Test]
    public void The_ecs_serve_service_runs_one_private_task_that_prometheus_finds_on_the_listen_port()
    {
        var container = EcsContainer("task-definition-serve.json");
        var args = container.GetProperty("command").EnumerateArray().Select(a => a.GetString()!).ToList();
        var listen = ServeSettings.ParseListen(Value(args, "--listen"));
        var port = container.GetProperty("portMappings").EnumerateArray().Single();
        using var service = JsonDocument.Parse(File.ReadAllText(RepositoryFile("docs", "ecs", "service-serve.json")));
        var root = service.RootElement;
        using var task = JsonDocument.Parse(File.ReadAllText(RepositoryFile("docs", "ecs", "task-definition-serve.json")));

        Assert.Multiple(() =>
        {
            Assert.That(port.GetProperty("containerPort").GetInt32(), Is.EqualTo(listen.Port));
            Assert.That(root.GetProperty("taskDefinition").GetString(), Is.EqualTo(task.RootElement.GetProperty("family").GetString()));
            Assert.That(root.GetProperty("desiredCount").GetInt32(), Is.EqualTo(1), "two tasks would scan and alert twice");
            Assert.That(root.GetProperty("deploymentConfiguration").GetProperty("maximumPercent").GetInt32(), Is.EqualTo(100));
            Assert.That(root.TryGetProperty("loadBalancers", out _), Is.False, "serve has no authentication of its own");
            Assert.That(root.GetProperty("networkConfiguration").GetProperty("awsvpcConfiguration").GetProperty("assignPublicIp").GetString(), Is.EqualTo("DISABLED"));
            Assert.That(root.GetProperty("serviceRegistries").EnumerateArray().Single().GetProperty("port").GetInt32(), Is.EqualTo(listen.Port));
        });
    }

    private static JsonElement EcsContainer(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFile("docs", "ecs", file)));
        return document.RootElement.GetProperty("containerDefinitions").EnumerateArray().Single().Clone();
    }

    private static void AssertSecretsComeFromSecrets(Dictionary<object, object> container)
    {
        var env = List(container["env"]).Select(Map).ToList();
        var args = Strings(container["args"]);
        Assert.That(Writes, Has.None.AnyOf(args.ToArray()), "the examples only read");
        foreach (var variable in env.Where(e => ((string)e["name"]).Contains("PASSWORD", StringComparison.Ordinal) || ((string)e["name"]).Contains("SECRET", StringComparison.Ordinal) || ((string)e["name"]).Contains("WEBHOOK", StringComparison.Ordinal)))
        {
            Assert.That(variable.ContainsKey("valueFrom") && !variable.ContainsKey("value"), Is.True, $"{variable["name"]} must come from a Secret");
        }
    }

    private static Dictionary<object, object> Load(string file)
    {
        var yaml = File.ReadAllText(RepositoryFile("docs", "k8s", file));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(yaml);
    }

    private static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DbIntegrity.sln")))
        {
            directory = directory.Parent;
        }

        Assert.That(directory, Is.Not.Null, "the repository root (DbIntegrity.sln) is above the test directory");
        return Path.Combine([directory!.FullName, .. parts]);
    }

    private static IEnumerable<Dictionary<object, object>> Containers(object spec) =>
        List(Map(Map(Map(spec)["template"])["spec"])["containers"]).Select(Map);

    private static Dictionary<object, object> Map(object node) => (Dictionary<object, object>)node;

    private static List<object> List(object node) => (List<object>)node;

    private static List<string> Strings(object node) => [.. List(node).Cast<string>()];

    private static IEnumerable<string> Flags(IEnumerable<string> args) => args.Where(a => a.StartsWith("--", StringComparison.Ordinal));

    private static string Value(List<string> args, string flag) => args[args.IndexOf(flag) + 1];

    private static HashSet<string> LongNames(Type settings) =>
        [.. settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(p => p.GetCustomAttribute<CommandOptionAttribute>()?.LongNames ?? [])
            .Select(n => "--" + n)];
}
