using System.Reflection;
using DbIntegrity.Cli.Commands;
using DbIntegrity.Cli.Serving;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Reporting;
using Spectre.Console.Cli;
using YamlDotNet.Serialization;

namespace DbIntegrity.IntegrationTests.Serving;

/// <summary>
/// The Kubernetes examples in docs/k8s parse and use the CLI's real flags and serve's real endpoints: a renamed flag
/// or path fails here, not in someone's cluster. (No cluster on this machine: this is as far as they can be tested.)
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
            Assert.That(Enum.Parse<ReportFormat>(Value(args, "--format"), ignoreCase: true), Is.EqualTo(ReportFormat.Prometheus));
            Assert.That(string.Join(' ', Strings(push["args"])), Does.Contain("@" + Value(args, "--output")).And.Contain("'# EOF'"));
            AssertSecretsComeFromSecrets(check);
        });
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
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DbIntegrity.sln")))
        {
            directory = directory.Parent;
        }

        Assert.That(directory, Is.Not.Null, "the repository root (DbIntegrity.sln) is above the test directory");
        var yaml = File.ReadAllText(Path.Combine(directory!.FullName, "docs", "k8s", file));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(yaml);
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
