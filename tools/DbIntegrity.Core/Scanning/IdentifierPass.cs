using System.Data.Common;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Merges, in one ordered walk, the installed-marker listing, the package listing, the <c>plugins</c> table and the
/// <c>plugin_declarations</c> table by identifier. Each side is read once (one paged listing per prefix, one cursor per
/// table), and one identifier's group is in the walk at a time. When installation rules run, a fifth cursor reads a
/// digest of <c>plugin_installations</c> in the same order (<see cref="InstallationDigest"/>: one row per identifier);
/// the installations of an identifier whose digest does not settle every installation rule are read in full later, a
/// batch of identifiers at a time, each with its group, which waits in the batch until then
/// (<see cref="InstallationBatch"/>: at most <see cref="ScanOptions.InstallationBatch"/> groups). So each declaration
/// is read and parsed once however many tenants installed it.
/// </summary>
internal static class IdentifierPass
{
    public static async Task RunAsync(
        ScanSession session, ScanSession? declarationSession, Func<IdentifierGroup, Task> onGroup, InstallationHandlers? onInstallation, CancellationToken cancellationToken)
    {
        // Reported at the start too, so the time to open the listings and cursors is this phase's, not the last rule's.
        session.Progress?.Report(new ScanProgress("cross-checking identifiers", 0));
        // Asked before anything is opened, so that its failure leaves nothing running (declarations below).
        var streamed = declarationSession is not null && !await PgStream.StatementTimeoutSetAsync(declarationSession.Connection, declarationSession.Transaction, cancellationToken);
        var layout = session.Layout;
        var installedPrefix = StorageLayout.ListingPrefix(layout.InstalledPath);
        var packagePrefix = StorageLayout.ListingPrefix(layout.PackagePath);

        await using var installed = await SortedSource<StoredObject>.OpenAsync(
            session.ListAsync(installedPrefix, cancellationToken), o => o.Key[installedPrefix.Length..], $"s3 listing of {installedPrefix}", cancellationToken);
        await using var packages = await SortedSource<StoredObject>.OpenAsync(
            session.ListAsync(packagePrefix, cancellationToken), o => o.Key[packagePrefix.Length..], $"s3 listing of {packagePrefix}", cancellationToken);
        var installationsOpen = onInstallation is null ? Task.FromResult<SortedSource<InstallationDigest>?>(null) : OpenDigest(session, onInstallation, cancellationToken);
        // The declarations are what the merge waits for most: their rows are the largest and each is parsed. On a
        // connection of their own (when the scan has one), they are one plain query streamed (PgStream): PostgreSQL
        // sends rows as fast as they are read, not a page per FETCH round trip. The merge waited for them 0.27-0.36 s
        // of a 1.1 s walk at 10^5 instead of 0.53 (docs/benchmarks.md, the round of 2026-12-04 22:40). One statement
        // for the whole pass would outlast a statement_timeout set on the role or the database, where each FETCH is a
        // statement of its own: under one, they are a cursor on that connection, as they are on the scan's own without
        // it. Either way two parsed pages are ready ahead: a cursor fetches page n+2 while page n+1 is parsed; a stream
        // parses a page, then reads the next from the socket, into which PostgreSQL went on sending meanwhile.
        // Their text is copied into reused slabs, not an array each, and given back as soon as it is parsed (TextSlabs).
        // The slabs stay with the pass, so it holds as many as the most text ever in flight at once: about two pages'
        // text, which grows with the declarations' size. Pages of a quarter of the scan's page size keep it near 2 MiB
        // for declarations of 2.3 KB, and the live heap where it was with a byte[] each and half pages (10-12 MiB at
        // 10^5; 12-17 with slabs and half pages), no slower (docs/benchmarks.md).
        var slabs = new TextSlabs();
        var declarationPage = Math.Max(1, session.Options.PageSize / 4);
        var declarationsRead = streamed
            ? declarationSession!.Stream(DeclarationsSql(session), r => ReadDeclaration(r, slabs), declarationPage, lookahead: 2, page => ParsePage(page, slabs)).ReadAsync(cancellationToken)
            : (declarationSession ?? session).CursorWithPages(DeclarationsSql(session), r => ReadDeclaration(r, slabs), declarationPage, lookahead: 2, page => ParsePage(page, slabs)).ReadAsync(cancellationToken);
        var declarationsOpen = SortedSource<DeclarationRow>.OpenAsync(
            Parsed(declarationsRead, cancellationToken), r => r.Identifier, "the plugin_declarations table", cancellationToken);
        var pluginsOpen = SortedSource<PluginRow>.OpenAsync(
            session.Cursor(PluginsSql(session), ReadPlugin).ReadAsync(cancellationToken), r => r.Identifier, "the plugins table", cancellationToken);
        // All three awaited, so that a failure of one leaves no other unobserved or open.
        try
        {
            await Task.WhenAll(installationsOpen, declarationsOpen, pluginsOpen);
        }
        catch
        {
            await DisposeIfOpenedAsync(installationsOpen);
            await DisposeIfOpenedAsync(declarationsOpen);
            await DisposeIfOpenedAsync(pluginsOpen);
            throw;
        }

        await using var declarations = await declarationsOpen;
        await using var plugins = await pluginsOpen;
        await using var installations = await installationsOpen;
        var unsettled = onInstallation is null ? null : new InstallationBatch(session, onInstallation.Evaluate);

        long groups = 0;
        while (KeyMerge.NextKey(
            KeyMerge.KeyOf(installed), KeyMerge.KeyOf(packages), KeyMerge.KeyOf(plugins), KeyMerge.KeyOf(declarations),
            installations is null ? null : KeyMerge.KeyOf(installations)) is { } key)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var installedObjects = await installed.TakeAsync(key);
            var packageObjects = await packages.TakeAsync(key);
            var pluginRows = await plugins.TakeAsync(key);
            var declarationRows = await declarations.TakeAsync(key);
            session.Statistics.Count("plugins", pluginRows.Count);
            session.Statistics.Count("plugin_declarations", declarationRows.Count);

            var digests = installations is null ? [] : await installations.TakeAsync(key);
            PluginUniqueIdentifier.TryParse(key, out var parsed);
            var group = new IdentifierGroup
            {
                Key = key,
                Parsed = parsed,
                InstalledObject = installedObjects.FirstOrDefault(),
                PackageObject = packageObjects.FirstOrDefault(),
                Plugins = pluginRows,
                Declarations = declarationRows,
                Installed = digests.Count > 0,
            };

            // Every group, an identifier only installations name included (HasObjectOrRow tells them apart).
            await onGroup(group);
            onInstallation?.Seen?.Observe(group, digests);
            if (digests.Any(digest => !onInstallation!.IsSettled(group, digest)))
            {
                await unsettled!.AddAsync(group, cancellationToken);
            }

            if (++groups % 5000 == 0)
            {
                session.Progress?.Report(new ScanProgress("cross-checking identifiers", groups));
            }
        }

        if (unsettled is not null)
        {
            await unsettled.FlushAsync(cancellationToken);
            await unsettled.ReadUnidentifiedAsync(cancellationToken);
        }

        session.Progress?.Report(new ScanProgress("cross-checking identifiers", groups));
    }

    // COLLATE "C" orders by bytes, which for UTF8 is the order S3 lists keys in (docs/daemon/storage.md#listing keys are the identifiers).
    private static string PluginsSql(ScanSession session) => $"""
        SELECT id::text, plugin_unique_identifier, {Optional(session, "plugins", "plugin_id")}, {Optional(session, "plugins", "install_type")},
               {(session.Schema.HasColumn("plugins", "refers") ? "coalesce(refers, 0)" : "0")}::bigint,
               {Optional(session, "plugins", "created_at", "timestamptz")}, {Optional(session, "plugins", "updated_at", "timestamptz")},
               {(session.Schema.HasColumn("plugins", "remote_declaration") && session.Schema.HasColumn("plugins", "install_type")
                   ? "CASE WHEN install_type = 'remote' THEN remote_declaration::text END" : "NULL::text")}
        FROM plugins
        WHERE plugin_unique_identifier IS NOT NULL
        ORDER BY plugin_unique_identifier COLLATE "C", id
        """;

    // Only the identifier, the id and the row's address (ctid) are sorted; each declaration is fetched by its address
    // as the sorted rows are read (a nested loop of TID scans: the OFFSET 0 keeps the planner from turning it into a
    // hash join and a second sort). Sorting whole rows carried every declaration as stored (about 1.3 KB compressed)
    // through the sort: at 10^5 declarations 130 MB, spilled to disk at the scan's work_mem, 0.43–0.87 s of server
    // time against 0.27–0.40 s this way (docs/benchmarks.md). Both reads are in the scan's snapshot, so the address
    // names the very row version the sort read (with its table's oid: an address is unique only within one table, should
    // plugin_declarations ever be inherited or partitioned). The columns are converted in the outer SELECT, as each page is fetched:
    // converting inside the sort made PostgreSQL decompress and copy every declaration before the first row. The text
    // comes as its UTF-8 bytes all the same (Npgsql hands a text column's bytes over without decoding them: GetBytes,
    // into a slab; the connection's client_encoding is UTF8), parsed as they are: DeclarationReader.Read(ReadOnlyMemory<byte>). The outer ORDER BY is the sorted
    // subquery's own order, kept by the nested loop, so PostgreSQL does not sort again; it makes the order the query's,
    // not the plan's.
    private static readonly string[] DeclarationColumns = ["id", "plugin_unique_identifier", "plugin_id", "created_at", "updated_at", "declaration"];

    private static string DeclarationsSql(ScanSession session) => $"""
        SELECT d.id::text, d.plugin_unique_identifier, {Optional(session, "plugin_declarations", "plugin_id", alias: "d")},
               {Optional(session, "plugin_declarations", "created_at", "timestamptz", alias: "d")}, {Optional(session, "plugin_declarations", "updated_at", "timestamptz", alias: "d")},
               {Optional(session, "plugin_declarations", "declaration", alias: "d")}
        FROM (SELECT tableoid, ctid, plugin_unique_identifier, id FROM plugin_declarations WHERE plugin_unique_identifier IS NOT NULL ORDER BY plugin_unique_identifier COLLATE "C", id OFFSET 0) s
        CROSS JOIN LATERAL (SELECT {string.Join(", ", DeclarationColumns.Where(c => session.Schema.HasColumn("plugin_declarations", c)))} FROM plugin_declarations x WHERE x.ctid = s.ctid AND x.tableoid = s.tableoid OFFSET 0) d
        ORDER BY s.plugin_unique_identifier COLLATE "C", s.id
        """;

    private static string Optional(ScanSession session, string table, string column, string type = "text", string? alias = null) =>
        session.Schema.HasColumn(table, column) ? $"{(alias is null ? "" : alias + ".")}{column}::{type}" : $"NULL::{type}";

    private static PluginRow ReadPlugin(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), NullableString(r, 2), NullableString(r, 3), r.GetInt64(4), NullableTime(r, 5), NullableTime(r, 6))
    {
        RemoteDeclaration = r.IsDBNull(7) ? null : DeclarationReader.Read(r.GetString(7)),
    };

    // The declaration comes as its UTF-8 bytes (DeclarationsSql), copied into a slab and parsed there: DeclarationReader.Read(ReadOnlyMemory<byte>).
    private static (DeclarationRow Row, TextSlabs.Slice? Json) ReadDeclaration(DbDataReader r, TextSlabs slabs) =>
        (new DeclarationRow(r.GetString(0), r.GetString(1), NullableString(r, 2), NullableTime(r, 3), NullableTime(r, 4)), r.IsDBNull(5) ? null : slabs.Copy(r, 5));

    // Parsing and type-checking a declaration is most of the pass's own work (DeclarationScan, one forward pass for a
    // plain one): a page of them is parsed on every core as soon as it is fetched, ahead of the merge (PgCursor), and
    // each text's slice is given back as soon as it is read.
    private static void ParsePage(List<(DeclarationRow Row, TextSlabs.Slice? Json)> page, TextSlabs slabs)
    {
        try
        {
            Parallel.For(0, page.Count, i => page[i] = (page[i].Row with { Content = Parse(page[i].Json, slabs) }, null));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Read never throws for bad input; whatever did (a bug, no memory) is reported as itself, not as an aggregate.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
    }

    // Read, then the slice given back: nothing read from it is kept.
    private static DeclarationReadResult Parse(TextSlabs.Slice? json, TextSlabs slabs)
    {
        if (json is not { } slice)
        {
            return DeclarationReader.Read((string?)null);
        }

        try
        {
            return DeclarationReader.Read(slice.Bytes);
        }
        finally
        {
            slabs.Release(slice);
        }
    }

    private static async IAsyncEnumerable<DeclarationRow> Parsed(
        IAsyncEnumerable<(DeclarationRow Row, TextSlabs.Slice? Json)> rows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (row, _) in rows.WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }

    private static async Task<SortedSource<InstallationDigest>?> OpenDigest(ScanSession session, InstallationHandlers onInstallation, CancellationToken cancellationToken) =>
        await SortedSource<InstallationDigest>.OpenAsync(
            Identified(session.Cursor(InstallationDigest.Sql(session.Schema), InstallationDigest.Read).ReadAsync(cancellationToken), onInstallation.Seen, cancellationToken),
            r => r.Identifier!,
            "the plugin_installations table",
            cancellationToken);

    // The digest's rows without an identifier come last (NULLS LAST): they are no group's, and go to what the pass saw.
    private static async IAsyncEnumerable<InstallationDigest> Identified(
        IAsyncEnumerable<InstallationDigest> digests, DigestObservations? seen, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var digest in digests.WithCancellation(cancellationToken))
        {
            if (digest.Identifier is null)
            {
                seen?.ObserveUnidentified(digest);
            }
            else
            {
                yield return digest;
            }
        }
    }

    private static async Task DisposeIfOpenedAsync<T>(Task<T> open)
        where T : IAsyncDisposable?
    {
        if (open.IsCompletedSuccessfully && open.Result is { } source)
        {
            await source.DisposeAsync();
        }
    }

    internal static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    internal static DateTimeOffset? NullableTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
