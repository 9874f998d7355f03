using DbIntegrity.Core.Tests.Architecture.Samples.Right;

namespace DbIntegrity.Core.Tests.Architecture.Samples.Left;

/// <summary>Uses the Right namespace only inside an async method's lambda, so only the IL of a nested type shows it.</summary>
public sealed class LeftUser
{
    public static async Task<int> CountAsync()
    {
        await Task.Yield();
        Func<int> count = () => RightThing.Make().Size;
        return count();
    }
}
