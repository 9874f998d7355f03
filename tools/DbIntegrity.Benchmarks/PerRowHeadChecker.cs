using System.Runtime.CompilerServices;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Benchmarks;

/// <summary>
/// The approach this tool is compared with (GitLab's integrity checks): walk every row that names a package and ask
/// the store whether that object exists, one HEAD per row, with the same parallelism the scan's confirmation uses.
/// </summary>
internal static class PerRowHeadChecker
{
    /// <summary>Returns the rows checked and how many named a missing package.</summary>
    public static async Task<(long Rows, long Missing)> RunAsync(NpgsqlDataSource dataSource, IObjectReader storage, StorageLayout layout, int parallelism, CancellationToken cancellationToken)
    {
        long rows = 0;
        long missing = 0;
        await Parallel.ForEachAsync(
            IdentifiersAsync(dataSource, cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (identifier, ct) =>
            {
                Interlocked.Increment(ref rows);
                if (await storage.HeadAsync(layout.PackageKey(identifier), ct) is null)
                {
                    Interlocked.Increment(ref missing);
                }
            });
        return (rows, missing);
    }

    private static async IAsyncEnumerable<string> IdentifiersAsync(NpgsqlDataSource dataSource, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT plugin_unique_identifier FROM plugins UNION ALL SELECT plugin_unique_identifier FROM plugin_declarations UNION ALL SELECT plugin_unique_identifier FROM plugin_installations");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return reader.GetString(0);
        }
    }
}
