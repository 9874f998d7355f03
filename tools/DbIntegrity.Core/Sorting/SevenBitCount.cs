namespace DbIntegrity.Core.Sorting;

/// <summary>
/// A count as <see cref="BinaryWriter.Write7BitEncodedInt"/> writes it (seven bits a byte, low bits first, at most five
/// bytes), read from a span of a scratch file's bytes: sort runs' records (<see cref="SortedRecords"/>) and spilled
/// findings' rests. Anything else is <see cref="InvalidDataException"/> naming the holder (a sort run's record, …).
/// </summary>
internal static class SevenBitCount
{
    public static int Read(ReadOnlySpan<byte> from, ref int at, string holder)
    {
        var value = 0;
        for (var shift = 0; shift <= 28; shift += 7)
        {
            if (at >= from.Length)
            {
                throw new InvalidDataException($"{holder} ends inside a count.");
            }

            var b = from[at++];
            // The fifth byte holds the top four bits; more would wrap around to a small count.
            if (shift == 28 && b > 0x0F)
            {
                throw new InvalidDataException($"{holder} holds a count beyond 32 bits.");
            }

            value |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value >= 0 ? value : throw new InvalidDataException($"{holder} holds a negative count.");
            }
        }

        throw new InvalidDataException($"{holder} holds a malformed count.");
    }
}
