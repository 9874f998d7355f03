using System.Runtime.CompilerServices;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A finding's message as a rule writes it (<c>$"…"</c> passed to <see cref="RuleContext.Report(ref FindingMessage, FindingLocation, DateTimeOffset?, Recheck[])"/>):
/// formatted as a string would be (the current culture), into a buffer rented from the shared pool instead of a new
/// string, so a candidate that is spilled is encoded from the characters and no string is made (<see cref="FindingDraft"/>).
/// Concatenated parts (<c>$"…" + $"…"</c>) are written into the same buffer.
/// </summary>
[InterpolatedStringHandler]
internal ref struct FindingMessage
{
    private DefaultInterpolatedStringHandler _text;

    public FindingMessage(int literalLength, int formattedCount)
    {
        _text = new DefaultInterpolatedStringHandler(literalLength, formattedCount);
    }

    /// <summary>The characters written so far: valid until <see cref="Clear"/>.</summary>
    public ReadOnlySpan<char> Text => _text.Text;

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted(string? value) => _text.AppendFormatted(value);

    public void AppendFormatted(ReadOnlySpan<char> value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => _text.AppendFormatted(value, alignment);

    public void AppendFormatted<T>(T value, int alignment, string? format) => _text.AppendFormatted(value, alignment, format);

    /// <summary>Gives the buffer back to the pool; the message is unusable after.</summary>
    public void Clear() => _text.Clear();

    public override string ToString() => new(Text);
}
