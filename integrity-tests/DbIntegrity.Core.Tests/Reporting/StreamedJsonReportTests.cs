using System.Collections;
using System.Globalization;
using System.Text.Json;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;

using DbIntegrity.Tests.Shared;

namespace DbIntegrity.Core.Tests.Reporting;

/// <summary>
/// Issue 13's worst case end to end in Core: 200,000 findings spilled to disk by the scan's collector, streamed by the
/// JSON writer with a presenter. Every finding arrives, presented, and the text goes out while the findings are read.
/// </summary>
public sealed class StreamedJsonReportTests
{
    private const int Count = 200_000;
    private const string Rule = "plugin-package-missing";

    [Test]
    public async Task Spilled_findings_stream_to_the_output_complete_and_presented()
    {
        using var collector = new ScanCollector(maxInfoPerRule: 1000, candidateBuffer: 1000);
        for (var i = 0; i < Count; i++)
        {
            collector.Accept(new Finding
            {
                Rule = Rule,
                Severity = Severity.Error,
                Message = $"plugin_packages/a/p{i.ToString("D6", CultureInfo.InvariantCulture)} does not exist (SECRET).",
                Table = "plugins",
                RowId = i.ToString("D6", CultureInfo.InvariantCulture),
            });
        }

        var spilled = await collector.FindingsAsync(CancellationToken.None);
        Assert.That(spilled, Is.InstanceOf<SpilledFindings>(), "the findings are on disk, as at a lost prefix");
        var path = Path.GetTempFileName();
        try
        {
            ObservedFindings findings;
            await using (var file = new CountingStream(File.Create(path)))
            {
                findings = new ObservedFindings(spilled, () => file.Written);
                await JsonReportWriter.WriteAsync(Report(findings), file, text => text.Replace("SECRET", "***", StringComparison.Ordinal), CancellationToken.None);
                Assert.Multiple(() =>
                {
                    Assert.That(findings.WrittenAtHalf, Is.GreaterThan(file.Written * 4 / 10), "half the text is out when half the findings are read");
                    Assert.That(file.LargestWrite, Is.LessThan(1 << 20), "no write holds the report whole");
                });
            }

            await using var read = File.OpenRead(path);
            using var json = await JsonDocument.ParseAsync(read);
            var listed = json.RootElement.GetProperty("findings");
            Assert.Multiple(() =>
            {
                Assert.That(listed.GetArrayLength(), Is.EqualTo(Count));
                Assert.That(listed[0].GetProperty("message").GetString(), Is.EqualTo("plugin_packages/a/p000000 does not exist (***)."));
                Assert.That(listed[Count - 1].GetProperty("rowId").GetString(), Is.EqualTo((Count - 1).ToString("D6", CultureInfo.InvariantCulture)));
                Assert.That(listed.EnumerateArray().Count(f => f.GetProperty("message").GetString()!.EndsWith("(***).", StringComparison.Ordinal)), Is.EqualTo(Count));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ScanReport Report(IReadOnlyList<Finding> findings) => SyntheticReports.Inconsistent(findings, Rule, DateTimeOffset.UnixEpoch);

    /// <summary>The spilled list as it is, noting how much output there was when its middle finding was read.</summary>
    private sealed class ObservedFindings(IReadOnlyList<Finding> inner, Func<long> written) : IReadOnlyList<Finding>
    {
        public long WrittenAtHalf { get; private set; } = -1;

        public int Count => inner.Count;

        public Finding this[int index] => inner[index];

        public IEnumerator<Finding> GetEnumerator()
        {
            var i = 0;
            foreach (var finding in inner)
            {
                if (i++ == inner.Count / 2)
                {
                    WrittenAtHalf = written();
                }

                yield return finding;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A file stream that counts what it is given and the largest single write.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

        public int LargestWrite { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position
        {
            get => Written;
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Count(buffer.Length);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }

        private void Count(int bytes)
        {
            Written += bytes;
            LargestWrite = Math.Max(LargestWrite, bytes);
        }
    }
}
