namespace DbIntegrity.Simulator.Seeding;

public static class PluginRuntimeExtensions
{
    /// <summary>The value stored in <c>install_type</c> and <c>runtime_type</c>.</summary>
    public static string ToDatabaseValue(this PluginRuntime runtime) => runtime switch
    {
        PluginRuntime.Local => "local",
        PluginRuntime.Remote => "remote",
        PluginRuntime.Serverless => "serverless",
        _ => throw new ArgumentOutOfRangeException(nameof(runtime), runtime, null),
    };
}
