using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace DbIntegrity.Core.Tests.Architecture;

/// <summary>The metadata tokens a method body's IL names (types, fields, methods; ECMA-335 III.1.2 instruction format).</summary>
internal static class IlTokens
{
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    public static IEnumerable<EntityHandle> Read(byte[] il)
    {
        var at = 0;
        while (at < il.Length)
        {
            var value = il[at] == 0xFE ? unchecked((short)(0xFE00 | il[at + 1])) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            if (!Operands.TryGetValue(value, out var operand))
            {
                throw new InvalidOperationException($"Unknown IL opcode 0x{value:X4} at offset {at}: the IL reader is out of step.");
            }

            if (operand is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
            {
                yield return MetadataTokens.EntityHandle(BitConverter.ToInt32(il, at));
            }

            at += operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
        }
    }
}
