namespace DbIntegrity.Core.Tests.Architecture.Samples.Left;

public sealed record LeftMarker(int Size);
