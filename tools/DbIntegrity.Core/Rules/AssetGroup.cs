using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// One asset id: the object under the media prefix (when listed) and the declarations that reference it.
/// <see cref="FirstReference"/> names one referencing row for the report; <see cref="ReferenceCount"/> counts them all.
/// </summary>
public sealed record AssetGroup(string AssetId, StoredObject? Object, AssetReference? FirstReference, long ReferenceCount);
