using Microsoft.Win32.SafeHandles;

namespace DbIntegrity.Core.Sorting;

/// <summary>
/// A temporary file that leaves nothing behind however the process ends (a killed scan of a lost prefix used to leave
/// gigabytes of spill files in the temp folder): on Unix its name is unlinked as soon as it is created and the open
/// handle keeps the data; on Windows it is deleted when the handle closes. Written once through
/// <see cref="OpenWrite"/> (or in chunks, each at its offset: <see cref="WriteAt"/>), then read any number of times
/// through <see cref="OpenRead"/>, each reader from the start with a position of its own. Disposing closes the handle, and the data goes with it.
/// </summary>
internal sealed class ScratchFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private ScratchFile(SafeFileHandle handle)
    {
        _handle = handle;
    }

    /// <summary>A new empty file in the temp folder; <paramref name="prefix"/> names it while it is being created.</summary>
    public static ScratchFile Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.tmp");
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.Delete(path);
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return new ScratchFile(handle);
    }

    /// <summary>A buffered stream that writes the file from its start; dispose it to flush.</summary>
    public Stream OpenWrite(int bufferSize = 1 << 16) => new BufferedStream(new Section(_handle, writable: true), bufferSize);

    /// <summary>A buffered stream that reads the file from its start.</summary>
    public Stream OpenRead(int bufferSize = 1 << 16) => new BufferedStream(new Section(_handle, writable: false), bufferSize);

    /// <summary>Reads from <paramref name="offset"/> into <paramref name="buffer"/>; how many bytes, 0 at the end.</summary>
    public int ReadAt(Span<byte> buffer, long offset) => RandomAccess.Read(_handle, buffer, offset);

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="offset"/> (a writer that appends in chunks keeps its own end).</summary>
    public void WriteAt(ReadOnlySpan<byte> bytes, long offset) => RandomAccess.Write(_handle, bytes, offset);

    public void Dispose() => _handle.Dispose();

    // Reads or writes the handle at a position of its own (RandomAccess), and leaves the handle open when disposed.
    private sealed class Section(SafeFileHandle handle, bool writable) : Stream
    {
        private long _position;

        public override bool CanRead => !writable;

        public override bool CanWrite => writable;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (writable)
            {
                throw new NotSupportedException("This stream writes.");
            }

            var read = RandomAccess.Read(handle, buffer, _position);
            _position += read;
            return read;
        }

        // Synchronous on purpose: a local file read or write of one buffer is cheaper than a thread-pool hop around it.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!writable)
            {
                throw new NotSupportedException("This stream reads.");
            }

            RandomAccess.Write(handle, buffer, _position);
            _position += buffer.Length;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
