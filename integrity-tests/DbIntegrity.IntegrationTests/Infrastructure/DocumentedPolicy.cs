using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>
/// One of the IAM policies the docs ship (docs/ecs/iam-policy-*.json), applied to a test bucket as a bucket policy for
/// a second S3 user that owns nothing (the guest <c>tools/local-services.sh</c> creates on Ceph RGW). Runs with
/// <see cref="Variables"/> then have exactly the S3 rights that file grants: a real S3 server enforces them, no proxy.
/// Statements for other services (the EFS mount in the repair policy) are left out; the S3 ones are applied as written.
/// </summary>
public sealed class DocumentedPolicy
{
    public const string Check = "iam-policy-check.json";
    public const string Repair = "iam-policy-repair.json";

    private const string GuestAccessKey = "DBI_TEST_S3_GUEST_ACCESS_KEY";
    private const string GuestSecretKey = "DBI_TEST_S3_GUEST_SECRET_KEY";
    private const string GuestPrincipal = "DBI_TEST_S3_GUEST_PRINCIPAL";

    private DocumentedPolicy(string document, IReadOnlyDictionary<string, string?> variables)
    {
        Document = document;
        Variables = variables;
    }

    /// <summary>The bucket policy as applied.</summary>
    public string Document { get; }

    /// <summary>The guest's credentials, as daemon variables (AWS_ACCESS_KEY, AWS_SECRET_KEY).</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; }

    public static async Task<DocumentedPolicy> ApplyAsync(TestBucket bucket, string file)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var environment = TestServices.Environment;
        if (environment.Get(GuestPrincipal) is not { } principal || environment.Get(GuestAccessKey) is not { } accessKey || environment.Get(GuestSecretKey) is not { } secretKey)
        {
            Assert.Fail($"The least-privilege tests need an S3 server that enforces bucket policies and a second user: {GuestPrincipal}, {GuestAccessKey} and "
                + $"{GuestSecretKey}. tools/local-services.sh (Ceph RGW) exports them: tools/local-services.sh up && eval \"$(tools/local-services.sh env)\".");
            throw new InvalidOperationException("unreachable");
        }

        var policy = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "ecs", file)).Replace("DIFY_PLUGIN_BUCKET", bucket.Name, StringComparison.Ordinal))!.AsObject();
        var statements = new JsonArray();
        foreach (var statement in policy["Statement"]!.AsArray().Select(s => s!.AsObject()))
        {
            var actions = statement["Action"] is JsonArray list ? list.Select(a => a!.GetValue<string>()).ToList() : [statement["Action"]!.GetValue<string>()];
            if (actions.All(a => !a.StartsWith("s3:", StringComparison.Ordinal)))
            {
                continue;
            }

            Assert.That(actions, Has.All.StartWith("s3:"), $"{file}: a statement mixes S3 and other actions");
            var copy = statement.DeepClone().AsObject();
            copy["Principal"] = new JsonObject { ["AWS"] = new JsonArray(principal) };
            statements.Add(copy);
        }

        policy["Statement"] = statements;
        var document = policy.ToJsonString();
        using var owner = S3ClientFactory.Create(bucket.Settings);
        await owner.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket.Name, Policy = document });
        return new DocumentedPolicy(document, new Dictionary<string, string?> { ["AWS_ACCESS_KEY"] = accessKey, ["AWS_SECRET_KEY"] = secretKey });
    }

    /// <summary>A client with the guest's credentials on the test endpoint.</summary>
    public IAmazonS3 GuestClient(TestBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return S3ClientFactory.Create(StorageSettings.FromDaemonVariables(TestServices.Environment.With(bucket.Variables).With(Variables)));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DbIntegrity.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("DbIntegrity.sln not found above the test directory.");
    }
}
