using DbIntegrity.Core.Tests.Architecture.Samples.Left;

namespace DbIntegrity.Core.Tests.Architecture.Samples.Right;

/// <summary>Uses the Left namespace only as the generic argument of a list it holds.</summary>
public sealed class RightThing
{
    private readonly List<LeftMarker> _markers = [new(1)];

    public int Size => _markers.Count;

    public static RightThing Make() => new();
}
