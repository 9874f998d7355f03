using FluentMigrator.Runner;
using Microsoft.Extensions.Logging;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Collects the SQL FluentMigrator's processor logs (it logs every statement before it runs it, and only logs it in
/// preview mode), so a preview can show, and a later gate can checksum, exactly what a migration runs.
/// </summary>
internal sealed class SqlCapture : ILoggerProvider
{
    private readonly List<string> _statements = [];
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <summary>The statements logged since the last call, in order; clears them.</summary>
    public IReadOnlyList<string> Take()
    {
        lock (_lock)
        {
            var taken = _statements.ToList();
            _statements.Clear();
            return taken;
        }
    }

    public void Dispose()
    {
    }

    private void Add(string sql)
    {
        lock (_lock)
        {
            _statements.Add(sql);
        }
    }

    private sealed class Logger(SqlCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == RunnerEventIds.Sql.Id && eventId.Name == RunnerEventIds.Sql.Name && formatter(state, exception) is { Length: > 0 } sql)
            {
                capture.Add(sql);
            }
        }
    }
}
