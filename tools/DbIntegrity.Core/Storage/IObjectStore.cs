namespace DbIntegrity.Core.Storage;

/// <summary>Read and write access to one bucket: what repair, backup and restore need (a check never gets one).</summary>
public interface IObjectStore : IObjectReader, IObjectWriter, IDisposable
{
    /// <summary>The bucket name, as a copy source names it.</summary>
    string Bucket { get; }

    /// <summary>The bucket and endpoint, without credentials.</summary>
    new string Description { get; }
}
