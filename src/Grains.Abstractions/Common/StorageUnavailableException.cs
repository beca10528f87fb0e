namespace ClinicCluster.Common;

/// <summary>
/// The database could not serve a grain call: a connection, pool, timeout or server failure. The
/// silo's storage call filter throws it in place of the driver's exception, which Orleans cannot
/// carry to the API; the API answers 503 with Retry-After. The message names only the SQLSTATE
/// (when there is one), never a value: the driver's own messages can quote rows, which can be PHI.
/// </summary>
[GenerateSerializer, Alias("cc.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : this(sqlState: null)
    {
    }

    public StorageUnavailableException(string? sqlState)
        : base(sqlState is null ? "The database is unavailable." : $"The database is unavailable (SQLSTATE {sqlState}).") =>
        SqlState = sqlState;

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The server's error class and code, e.g. 53300 (too many connections); null for client-side failures.</summary>
    [Id(0)]
    public string? SqlState { get; init; }
}
