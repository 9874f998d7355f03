namespace DbIntegrity.Core.Storage;

/// <summary>
/// When a write may happen, checked by the store itself at the moment of the write (S3 conditional writes), so an
/// object someone else wrote between a plan and its apply is never replaced.
/// </summary>
public abstract record WriteCondition
{
    private WriteCondition()
    {
    }

    /// <summary>Only when no object has the key (If-None-Match: *).</summary>
    public static WriteCondition Absent { get; } = new NoObject();

    /// <summary>Only while the object is still the one with this ETag (If-Match).</summary>
    public static WriteCondition Matching(string etag) => new SameETag(etag);

    public sealed record NoObject : WriteCondition;

    public sealed record SameETag(string ETag) : WriteCondition;
}
