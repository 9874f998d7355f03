using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Tests.Scanning;

public sealed class DeepInspectorTests
{
    [Test]
    public void Joining_workers_cancelled_by_a_failing_one_rethrows_that_failure_not_the_cancellation()
    {
        var failure = new UnavailableException("storage", "S3 request failed, GET s3://b/plugin_packages/x: access denied");
        Task[] workers = [Task.CompletedTask, Task.FromCanceled(new CancellationToken(canceled: true))];

        var thrown = Assert.ThrowsAsync<UnavailableException>(() => DeepInspector.JoinAsync(workers, () => failure));

        Assert.That(thrown, Is.SameAs(failure));
    }

    [Test]
    public void Joining_cancelled_workers_without_a_failure_is_a_cancellation()
    {
        Task[] workers = [Task.FromCanceled(new CancellationToken(canceled: true))];

        Assert.CatchAsync<OperationCanceledException>(() => DeepInspector.JoinAsync(workers, () => null));
    }
}
