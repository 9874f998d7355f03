namespace DbIntegrity.Cli.Infrastructure;

/// <summary>
/// Progress lines reported synchronously, in order (<see cref="Progress{T}"/> posts to the thread pool, which can
/// reorder lines and print them after the result).
/// </summary>
internal sealed class LineProgress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
