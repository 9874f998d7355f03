namespace DbIntegrity.Core;

/// <summary>
/// The database or the object storage could not be read (unreachable, permission denied, timeout, dropped connection):
/// the work could not complete, so no verdict is given. The CLI maps it to exit code 3.
/// </summary>
public sealed class UnavailableException : Exception
{
    public UnavailableException(string service, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Service = service;
    }

    /// <summary><c>database</c> or <c>storage</c>.</summary>
    public string Service { get; }
}
