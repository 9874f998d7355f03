namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>
/// A bound on a test body that reads from a connection: a command sent while another runs on it can hang instead of
/// failing, and a hung test should fail on its own, not stall the run.
/// </summary>
public static class TestDeadline
{
    /// <summary>Runs <paramref name="body"/>, failing with a <see cref="TimeoutException"/> after 30 s.</summary>
    public static Task Bounded(Func<Task> body) => body().WaitAsync(TimeSpan.FromSeconds(30));
}
