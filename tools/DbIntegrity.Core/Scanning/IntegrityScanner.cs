using System.Diagnostics;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Storage;
using DbIntegrity.Core.Wording;
using Npgsql;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Cross-checks the plugin daemon's tables against its bucket. Read-only: one REPEATABLE READ READ ONLY snapshot for
/// every table (read on a second and a third connection too when they can be had: <see cref="OpenSideAsync"/>), and only List,
/// Head and Get on S3. A scan that cannot finish returns an
/// <see cref="ScanStatus.Incomplete"/> report; it never says "consistent" about what it did not read.
/// </summary>
public static class IntegrityScanner
{
    /// <summary>Scans the deployment's database and store.</summary>
    public static async Task<ScanReport> ScanAsync(
        DeploymentReader deployment, ScanOptions options, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var dataSource = deployment.Database;
        return await RunAsync(
            Describe(dataSource.ConnectionString), deployment.Store, options,
            async ct =>
            {
                var connection = await dataSource.OpenConnectionAsync(ct);
                var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
                await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
                {
                    await readOnly.ExecuteNonQueryAsync(ct);
                }

                return (connection, transaction, true);
            },
            deployment.Layout, progress, async ct => await dataSource.OpenConnectionAsync(ct),
            (connection, transaction, tables, use, ct) => OpenSideAsync(dataSource, connection, transaction, tables, use, ct), cancellationToken);
    }

    /// <summary>
    /// Scans inside an existing transaction (the gate checks the schema a migration left behind before it commits).
    /// Rechecks use the same transaction, so they see its uncommitted changes. Nothing is written.
    /// </summary>
    public static Task<ScanReport> ScanWithinAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IObjectReader storage, StorageLayout layout, ScanOptions options, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return RunAsync(
            Describe(connection.ConnectionString), storage, options,
            _ => Task.FromResult((connection, transaction, false)),
            layout, progress, _ => Task.FromResult<NpgsqlConnection?>(null), openSide: null, cancellationToken);
    }

    private static async Task<ScanReport> RunAsync(
        string database,
        IObjectReader storage,
        ScanOptions options,
        Func<CancellationToken, Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction, bool Owned)>> open,
        StorageLayout layout,
        IProgress<ScanProgress>? progress,
        Func<CancellationToken, Task<NpgsqlConnection?>> openRecheckConnection,
        Func<NpgsqlConnection, NpgsqlTransaction, IReadOnlyList<string>, SideUse, CancellationToken, Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)?>>? openSide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Rules is not null)
        {
            RuleCatalog.Validate(options.Rules);
        }

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var collector = new ScanCollector(options.MaxInfoFindingsPerRule, options.CandidateBuffer, options.CandidateChunkBytes);
        var statistics = new ScanStatistics();
        var rulesRun = new List<string>();
        var rulesSkipped = new List<SkippedRule>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        var token = timeout.Token;
        string? incomplete = null;
        var cancelled = false;
        // A deadline, not a request: I/O that ignores the cancellation (a blackholed socket, Npgsql's cancel request,
        // a TCP keep-alive) is abandoned once the margin has passed, and the report is written without it.
        var deadline = Deadline.After(options.Timeout, cancellationToken, out var deadlineHandle);
        using var deadlineScope = deadlineHandle;
        var work = WorkAsync();
        try
        {
            (incomplete, cancelled) = await work.WaitAsync(deadline);
        }
        catch (OperationCanceledException) when (!work.IsCompleted)
        {
            cancelled = cancellationToken.IsCancellationRequested;
            incomplete = (cancelled ? "the scan was cancelled before it finished" : $"the scan did not finish within {HostWords.Of(UserOption.Timeout)} {options.Timeout}")
                + $"; its database or storage I/O did not stop within {Deadline.Margin.TotalSeconds:0} s of the cancellation and was abandoned.";
        }

        IReadOnlyList<Finding> findings = [];
        try
        {
            progress?.Report(new ScanProgress("listing the findings", 0));
            findings = await collector.FindingsAsync(CancellationToken.None);
        }
        catch (IOException ex)
        {
            // Fail closed: a report that cannot list its findings is not complete.
            incomplete ??= $"the findings could not be written to a temporary file ({ex.Message}); free space in {Path.GetTempPath()} and check again.";
        }

        var counts = collector.CountsByRule;
        var severities = RuleCatalog.Descriptors.ToDictionary(d => d.Id, d => d.Severity, StringComparer.Ordinal);
        var bySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => counts.Where(kv => severities[kv.Key] == s).Sum(kv => kv.Value));
        var status = incomplete is not null ? ScanStatus.Incomplete : bySeverity[Severity.Error] > 0 ? ScanStatus.Inconsistent : ScanStatus.Consistent;
        return new ScanReport
        {
            Status = status,
            IncompleteReason = incomplete,
            Cancelled = cancelled,
            StartedAt = started,
            Duration = clock.Elapsed,
            Database = database,
            Storage = storage.Description,
            Deep = options.Deep,
            Grace = options.Grace,
            Findings = findings,
            CountsByRule = new SortedDictionary<string, int>(counts.ToDictionary(), StringComparer.Ordinal),
            CountsBySeverity = bySeverity,
            RulesRun = rulesRun,
            RulesSkipped = rulesSkipped,
            InFlight = collector.InFlight,
            Unconfirmed = collector.Unconfirmed,
            NotListed = collector.NotListed,
            Scanned = statistics.Snapshot(),
        };

        async Task<(string? Incomplete, bool Cancelled)> WorkAsync()
        {
            string? incomplete = null;
            var cancelled = false;
            NpgsqlConnection? connection = null;
            NpgsqlTransaction? transaction = null;
            (NpgsqlConnection Connection, NpgsqlTransaction Transaction)? side = null;
            (NpgsqlConnection Connection, NpgsqlTransaction Transaction)? declarations = null;
            var owned = false;
            try
            {
                (connection, transaction, owned) = await open(token);
                var session = await StartSessionAsync(connection, transaction, storage, layout, options, collector, progress, token);
                var (applicable, skipped) = SelectRules(session.Schema, options);
                rulesRun.AddRange(applicable.Select(r => r.Descriptor.Id));
                rulesSkipped.AddRange(skipped);

                // The database rules get a second connection on the same snapshot when there is a pass to run beside them.
                var passRuns = ScanPasses.PassRuns(applicable);
                var databaseRules = applicable.OfType<IDatabaseRule>().Any();
                if (openSide is not null && databaseRules && passRuns)
                {
                    side = await openSide(connection, transaction, SideTables(session.Schema, applicable), SideUse.DatabaseRules, token);
                }

                // And the identifier pass reads plugin_declarations on a third (ScanPasses.RunAsync). That connection
                // holds its lock until the pass is over, and the pass needs this one to get there, so this one must never
                // wait for a lock meanwhile: should a migration holding one table this connection reads queue for
                // plugin_declarations behind the third, each would wait for the other, unseen by PostgreSQL, until the
                // timeout, and the daemon with them. So this connection first takes every lock the pass needs,
                // plugin_declarations included (TryLockPassTablesAsync; not granted within 2 s: no third connection), and
                // only when no database rule runs on it before the pass (they read tables the pass does not).
                if (openSide is not null && passRuns && (side is not null || !databaseRules)
                    && await TryLockPassTablesAsync(connection, transaction, PassTables(session.Schema, ScanPasses.ReadsInstallations(applicable)), token))
                {
                    declarations = await openSide(connection, transaction, ["plugin_declarations"], SideUse.Declarations, token);
                }

                var sideSession = side is { } opened ? session.On(opened.Connection, opened.Transaction) : null;
                var declarationSession = declarations is { } own ? session.On(own.Connection, own.Transaction) : null;
                await ScanPasses.RunAsync(session, sideSession, declarationSession, applicable, token);
                foreach (var finished in new[] { side, declarations }.OfType<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)>())
                {
                    await DisposeQuietlyAsync(finished.Transaction, finished.Connection);
                }

                side = null;
                declarations = null;

                await FailIfRewrittenAsync(session, token);
                foreach (var (key, value) in session.Statistics.Snapshot())
                {
                    statistics.Count(key, value);
                }

                progress?.Report(new ScanProgress("confirming findings against the live state", 0));
                await Confirmation.RunAsync(collector, storage, layout, connection, transaction, openRecheckConnection, options, token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                incomplete = "the scan was cancelled before it finished.";
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                incomplete = $"the scan did not finish within {HostWords.Of(UserOption.Timeout)} {options.Timeout}.";
            }
            catch (UnavailableException ex)
            {
                incomplete = ex.Message;
            }
            catch (NpgsqlException ex)
            {
                incomplete = DatabaseFailure(ex);
            }
            catch (InvalidOperationException ex) when (ex is not ObjectDisposedException
                                                       && (Broken(connection) || Broken(side?.Connection) || Broken(declarations?.Connection)))
            {
                // A connection that breaks completes its transaction, and the next command given that transaction fails
                // before it reaches the server ("Transaction is already completed"), not as an NpgsqlException: when no
                // command of the scan was under way on it as it broke, this is how the lost connection shows.
                incomplete = "the database connection failed: a connection of the scan broke while it read the database. Run the check "
                    + "again; if it recurs, PostgreSQL's log says why its backend ended (a restart, pg_terminate_backend, an idle or statement timeout).";
            }
            catch (Exception ex) when (ex is not (ConfigurationException or OutOfMemoryException))
            {
                // Whatever else stopped the scan, the report contract holds: status incomplete, exit 3, JSON on stdout.
                incomplete = $"the scan stopped on an unexpected {ex.GetType().Name}: {ex.Message} (a bug in dbintegrity; please report it).";
            }
            finally
            {
                foreach (var abandoned in new[] { side, declarations }.OfType<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)>())
                {
                    await DisposeQuietlyAsync(abandoned.Transaction, abandoned.Connection);
                }

                if (owned)
                {
                    await DisposeQuietlyAsync(transaction, connection);
                }
            }

            return (incomplete, cancelled);
        }
    }

    /// <summary>What a connection of <see cref="OpenSideAsync"/> is for (its name in <c>pg_stat_activity</c> says so).</summary>
    internal enum SideUse
    {
        /// <summary>The database rules, beside the identifier pass.</summary>
        DatabaseRules,

        /// <summary>The identifier pass's read of plugin_declarations.</summary>
        Declarations,
    }

    /// <summary>The scan transaction's <c>work_mem</c> (see <see cref="StartSessionAsync"/>).</summary>
    internal const string ScanWorkMem = "64MB";

    /// <summary>What every scan transaction sets, LOCAL to it (why: <see cref="StartSessionAsync"/>).</summary>
    private const string SessionSettings = $"SET LOCAL jit = off; SET LOCAL cursor_tuple_fraction = 1; SET LOCAL work_mem = '{ScanWorkMem}'";

    /// <summary>
    /// Another connection that reads the scan's own snapshot (<c>pg_export_snapshot</c>, then <c>SET TRANSACTION
    /// SNAPSHOT</c> in a REPEATABLE READ READ ONLY transaction: every connection sees exactly the same rows), or null
    /// when the server is a standby in recovery, has no snapshot export, or will not open another connection (a full
    /// <c>max_connections</c>, a role's <c>CONNECTION LIMIT</c>): the scan then does without it, reading what it would
    /// have read on the scan's own connection, as complete and only slower. The gate scans inside its own transaction, whose uncommitted changes no
    /// snapshot can share, so it never gets one.
    /// <para>
    /// It takes every lock it will need first: ACCESS SHARE on <paramref name="tables"/>, within a 2 s lock timeout;
    /// the database rules' connection before the scan's own connection has locked any table (it has read only the
    /// catalogs so far), the declarations' after the scan's own took every lock the pass needs
    /// (<see cref="TryLockPassTablesAsync"/>). Two connections of one process that each wait for a lock form a cycle
    /// PostgreSQL cannot see: the scan's connection holding a table, a daemon migration (<c>ALTER TABLE</c>) queued
    /// behind it, this connection queued behind the migration and the scan waiting for this connection. Holding its
    /// locks from the start, this connection never queues after; the rules' connection ends its transaction as soon as
    /// its rules are done (and, when asked, the installations are counted: <see cref="ScanPasses.AsksSharedCategoryRows"/>),
    /// the declarations' once the pass has read every declaration (<see cref="ScanPasses"/>).
    /// </para>
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The snapshot id comes from the server and is checked to be hex digits and dashes; table names come from the catalog, quoted.")]
    internal static async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)?> OpenSideAsync(
        NpgsqlDataSource dataSource, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> tables, SideUse use, CancellationToken cancellationToken)
    {
        // Asked first, in its own statement: calling a function the server lacks would abort the scan's transaction.
        await using (var can = new NpgsqlCommand(
            "SELECT NOT pg_is_in_recovery() AND to_regprocedure('pg_catalog.pg_export_snapshot()') IS NOT NULL", connection, transaction))
        {
            if (await can.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return null;
            }
        }

        string? snapshot;
        await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", connection, transaction))
        {
            snapshot = await export.ExecuteScalarAsync(cancellationToken) as string;
        }

        // An identifier like 00000003-0000001B-1; it is written into the statement (SET takes no parameters), so it must be that.
        if (snapshot is null || !snapshot.All(c => char.IsAsciiHexDigit(c) || c == '-'))
        {
            return null;
        }

        NpgsqlConnection? side = null;
        var handedOver = false;
        try
        {
            side = await dataSource.OpenConnectionAsync(cancellationToken);
            var sideTransaction = await side.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            var locks = tables.Count == 0 ? string.Empty : $"{LockWithinTimeout(tables)}; ";
            // Named for what it reads, after its locks are granted (pg_stat_activity shows "<application name> (rules)"),
            // for as long as its transaction lasts.
            var named = $"; SELECT set_config('application_name', current_setting('application_name') || ' ({(use == SideUse.Declarations ? "declarations" : "rules")})', true)";
            await using (var import = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshot}'; SET TRANSACTION READ ONLY; {locks}{SessionSettings}{named}", side, sideTransaction))
            {
                await import.ExecuteNonQueryAsync(cancellationToken);
            }

            handedOver = true;
            return (side, sideTransaction);
        }
        catch (NpgsqlException) when (!cancellationToken.IsCancellationRequested)
        {
            // No other connection (refused, or its locks not granted within the timeout): the scan does without it.
            return null;
        }
        finally
        {
            if (!handedOver && side is not null)
            {
                await side.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Fails the scan when a table it read was rewritten or emptied after its snapshot was taken. TRUNCATE and the
    /// rewriting forms of ALTER TABLE (… TYPE with a conversion, as a daemon migration may run) are not MVCC-safe: they
    /// give the table a new file whose rows an older snapshot does not see, so the scan would read it as empty and miss
    /// every finding in it, with no error. A table is only safe from that once a connection of the scan holds its
    /// lock; until then (the moment between the snapshot and the first read of each table on one connection, or after
    /// the second connection ended its transaction) the table's file in the snapshot's catalog
    /// (<c>pg_class.relfilenode</c>) is compared with its current one (<c>pg_relation_filenode</c>, which reads the
    /// latest catalog): different, or gone, and no verdict is given. VACUUM FULL and CLUSTER also give a new file and
    /// keep every row visible; they fail the scan too, which is the safe side of a rare case. So does a table whose name
    /// now belongs to another table (a copy swapped in by renames, as online schema-change tools do: the new table's
    /// rows are all newer than the snapshot), and the partitions and inheritance children of each table, which a query
    /// of the parent reads. Every table of the daemon's schema is compared, read or not: one catalog query.
    /// <para>
    /// <c>pg_relation_filenode</c> and <c>to_regclass</c> read the catalog cache, which is brought up to date whenever
    /// a connection takes a lock it did not hold. A table changed after the snapshot is one this connection had not locked
    /// then, so reading it afterwards took its lock and refreshed the cache; a table it never read again cannot have
    /// hidden rows from it. plugin_declarations, when a third connection reads it, is locked here first, with every
    /// table of the pass (<see cref="TryLockPassTablesAsync"/>), after the database rules' connection took its locks: a
    /// change before either is seen, and none can come after.
    /// </para>
    /// </summary>
    internal static async Task FailIfRewrittenAsync(ScanSession session, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            -- $1 is the schema's name quoted, for ::regnamespace and to prefix a table's quoted name.
            WITH RECURSIVE named AS (
                SELECT c.oid, c.relname::text AS name FROM pg_class c
                WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY($2::text[])),
            members (oid, name) AS (
                SELECT oid, name FROM named
                UNION SELECT i.inhrelid, m.name FROM pg_inherits i JOIN members m ON i.inhparent = m.oid)
            SELECT DISTINCT name FROM (
                SELECT m.name FROM members m JOIN pg_class c ON c.oid = m.oid
                WHERE c.relkind = 'r' AND c.relfilenode IS DISTINCT FROM pg_relation_filenode(c.oid)
                UNION ALL
                SELECT n.name FROM named n WHERE to_regclass($1 || '.' || quote_ident(n.name)) IS DISTINCT FROM n.oid) changed
            ORDER BY 1
            """,
            session.Connection, session.Transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = Quote(session.Schema.SchemaName) });
        command.Parameters.Add(new NpgsqlParameter { Value = session.Schema.Tables.Keys.ToArray() });
        var rewritten = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rewritten.Add(reader.GetString(0));
            }
        }

        if (rewritten.Count > 0)
        {
            throw new UnavailableException(
                "database",
                $"{string.Join(", ", rewritten)} {(rewritten.Count == 1 ? "was" : "were")} rewritten, emptied or replaced while the scan read the database "
                + "(TRUNCATE, ALTER TABLE … TYPE, VACUUM FULL, CLUSTER, or a copy renamed into its place: a daemon upgrade migrates its tables at start), so the scan's snapshot "
                + "may have read rows as missing. Check again once that change is done.");
        }
    }

    /// <summary>
    /// The tables the database rules' connection reads: those of the rules, and <c>plugin_installations</c> when it also
    /// counts the installations (<see cref="ScanPasses.AsksSharedCategoryRows"/>).
    /// </summary>
    internal static IReadOnlyList<string> SideTables(DatabaseSchema schema, IReadOnlyList<IIntegrityRule> rules) =>
        TablesNamed(schema, rules.OfType<IDatabaseRule>().Select(r => r.BuildSql(schema))
            .Concat(ScanPasses.AsksSharedCategoryRows(rules) ? [InstallationDigest.InstallationCountSql] : []));

    /// <summary>
    /// The tables the identifier pass reads: <c>plugins</c> and <c>plugin_declarations</c>, and, when it reads
    /// installations (an installation rule runs), those of their digest and full reads (<c>plugin_installations</c>
    /// and the category tables). Nothing else: a lock on a table the scan does not read would only keep a migration of
    /// it waiting for the scan.
    /// </summary>
    internal static IReadOnlyList<string> PassTables(DatabaseSchema schema, bool readsInstallations) =>
        TablesNamed(schema, readsInstallations
            ? ["plugins", "plugin_declarations", InstallationDigest.Sql(schema), InstallationRow.Sql(schema, withoutIdentifier: false), InstallationRow.Sql(schema, withoutIdentifier: true)]
            : ["plugins", "plugin_declarations"]);

    private static List<string> TablesNamed(DatabaseSchema schema, IEnumerable<string> queries)
    {
        var sql = string.Join("\n", queries);
        return [.. schema.Tables.Keys.Where(t => System.Text.RegularExpressions.Regex.IsMatch(sql, $@"\b{System.Text.RegularExpressions.Regex.Escape(t)}\b")).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Takes ACCESS SHARE on <paramref name="tables"/> for the scan's own connection, within a 2 s lock timeout, in a
    /// savepoint: false, with nothing taken and the transaction as it was, when they are not granted in time (a
    /// migration under way) or refused. Taken after the database rules' connection took its own, as that one requires.
    /// <para>
    /// Table locks only: planning a query also locks the table's indexes, and a <c>REINDEX</c> holds its index
    /// exclusively while it holds the table in SHARE mode, which this lock does not block. A migration that reindexes
    /// an index of a table the pass reads, then waits for <c>plugin_declarations</c> behind the third connection, can
    /// still make this connection wait, until the scan's timeout. The daemon's migrations (GORM's AutoMigrate) create
    /// indexes and alter columns; they do not reindex.
    /// </para>
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Table names come from the catalog, quoted.")]
    internal static async Task<bool> TryLockPassTablesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        const string savepoint = "dbi_pass_locks";
        await transaction.SaveAsync(savepoint, cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(LockWithinTimeout(tables), connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.ReleaseAsync(savepoint, cancellationToken);
            return true;
        }
        catch (PostgresException) when (!cancellationToken.IsCancellationRequested && connection.FullState == System.Data.ConnectionState.Open)
        {
            // Back to before the savepoint: no lock, the lock timeout as it was; the pass then reads on this one connection.
            // (A connection the error broke is not rolled back: that error, not the rollback's, ends the scan.)
            await transaction.RollbackAsync(savepoint, cancellationToken);
            return false;
        }
    }

    // ACCESS SHARE on the tables, waiting at most 2 s for them, then the transaction's lock timeout as it was.
    private static string LockWithinTimeout(IReadOnlyList<string> tables) =>
        $"SET LOCAL lock_timeout = '2s'; LOCK TABLE {string.Join(", ", tables.Select(Quote))} IN ACCESS SHARE MODE; SET LOCAL lock_timeout TO DEFAULT";

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task<ScanSession> StartSessionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IObjectReader storage, StorageLayout layout, ScanOptions options,
        ScanCollector collector, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new ScanProgress("reading the schema", 0));
        // One round trip, LOCAL to the scan's (or the gate's) transaction, so nothing outlives it:
        // - jit off: the scan's queries stream whole tables once; JIT compilation costs more than it saves on them
        //   (measured: +0.8 s on the category query at 20k plugins);
        // - cursor_tuple_fraction 1: every cursor of a scan is read to its end, so plan for the whole result, not for the
        //   first 10% of rows (PostgreSQL's default for cursors picks per-row index probes over hash joins);
        // - work_mem: the scan sorts and hashes installations and category rows by tenant, plugin and identifier; with
        //   the 4 MB default those sorts went to disk from 10,000 plugins on (docs/benchmarks.md). 64 MB per sort or hash
        //   in this one session is what a reporting query gets; beyond it PostgreSQL still spills, it never fails.
        await using (var settings = new NpgsqlCommand(SessionSettings, connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        DateTimeOffset databaseNow;
        await using (var now = new NpgsqlCommand("SELECT now()", connection, transaction))
        await using (var reader = await now.ExecuteReaderAsync(cancellationToken))
        {
            // The database clock is the one reference for age, but it stamped nothing: GORM fills created_at/updated_at
            // from the daemon host's clock (docs/daemon/database.md#base-model) and S3 dates objects by its own. Skew within --grace is
            // absorbed; evidence dated beyond it in the future is reported, not held back as in flight (RuleContext).
            await reader.ReadAsync(cancellationToken);
            databaseNow = reader.GetFieldValue<DateTimeOffset>(0);
        }

        var schema = await SchemaInspector.InspectAsync(connection, cancellationToken, transaction);
        if (!schema.HasTable("plugins") || !schema.HasTable("plugin_declarations"))
        {
            throw new ConfigurationException(
                $"The database {connection.Database} (schema {schema.SchemaName}) has no plugin daemon tables (plugins, plugin_declarations). "
                + $"Point DB_DATABASE at the daemon's database (the Dify compose file uses dify_plugin), or create the schema with: {HostWords.Of(NextStep.MigrateUp)}");
        }

        return new ScanSession
        {
            Connection = connection,
            Transaction = transaction,
            Schema = schema,
            Storage = storage,
            Layout = layout,
            Options = options,
            Now = databaseNow,
            Collector = collector,
            Progress = progress,
        };
    }

    private static (List<IIntegrityRule> Applicable, List<SkippedRule> Skipped) SelectRules(DatabaseSchema schema, ScanOptions options)
    {
        var applicable = new List<IIntegrityRule>();
        var skipped = new List<SkippedRule>();
        foreach (var rule in RuleCatalog.CreateAll())
        {
            var descriptor = rule.Descriptor;
            if (options.Rules is not null && !options.Rules.Contains(descriptor.Id))
            {
                continue;
            }

            if (descriptor.DeepOnly && !options.Deep)
            {
                skipped.Add(new SkippedRule(descriptor.Id, $"runs only with {HostWords.Of(UserOption.Deep)}"));
                continue;
            }

            var missing = descriptor.RequiredColumns
                .SelectMany(kv => schema.HasTable(kv.Key)
                    ? kv.Value.Where(c => !schema.HasColumn(kv.Key, c)).Select(c => $"column {kv.Key}.{c}")
                    : [$"table {kv.Key}"])
                .ToList();
            if (missing.Count > 0)
            {
                skipped.Add(new SkippedRule(descriptor.Id, $"this schema has no {string.Join(", ", missing)} (an older daemon version)"));
                continue;
            }

            applicable.Add(rule);
        }

        return (applicable, skipped);
    }

    internal static string DatabaseFailure(NpgsqlException ex) => DatabaseFailures.Describe(ex);

    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static bool Broken(NpgsqlConnection? connection) =>
        connection is not null && (connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || connection.State == System.Data.ConnectionState.Closed);

    private static async Task DisposeQuietlyAsync(NpgsqlTransaction? transaction, NpgsqlConnection? connection)
    {
        try
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
        catch (NpgsqlException)
        {
            // The connection already failed; the report says so. Nothing was written, so there is nothing to undo.
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
