using System.Diagnostics.CodeAnalysis;

namespace DbIntegrity.Core.Packages;

/// <summary>Either a <see cref="DeclarationSummary"/> or the reason the declaration could not be read.</summary>
public sealed record DeclarationReadResult
{
    private DeclarationReadResult(DeclarationSummary? declaration, string? error)
    {
        Declaration = declaration;
        Error = error;
    }

    public DeclarationSummary? Declaration { get; }

    /// <summary>What is wrong, naming the field (e.g. <c>tool.identity.name is missing</c>).</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Declaration))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsReadable => Declaration is not null;

    internal static DeclarationReadResult Success(DeclarationSummary declaration) => new(declaration, null);

    internal static DeclarationReadResult Failure(string error) => new(null, error);
}
