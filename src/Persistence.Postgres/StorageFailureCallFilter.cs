using ClinicCluster.Common;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres;

/// <summary>
/// Every grain call's last line: a driver exception that escapes a grain (the grain did not handle
/// it) becomes a <see cref="StorageUnavailableException"/>. Orleans cannot serialize Npgsql's
/// exceptions back to the caller, so without this the API saw a 500 instead of a retryable 503.
/// The original stays in the silo's log only by type and SQLSTATE (its message may quote rows).
/// </summary>
public sealed partial class StorageFailureCallFilter(ILogger<StorageFailureCallFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (Translate(exception) is { } unavailable)
        {
            LogStorageFailure(logger, exception.GetType().Name, unavailable.SqlState ?? "none", context.InterfaceName, context.MethodName);
            throw unavailable;
        }
    }

    /// <summary>
    /// The replacement for a database failure found in <paramref name="exception"/> or its inner
    /// exceptions (storage providers wrap them), or null when it is none.
    /// </summary>
    public static StorageUnavailableException? Translate(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case StorageUnavailableException:
                    return null;
                case PostgresException postgres:
                    return new StorageUnavailableException(postgres.SqlState);
                case NpgsqlException:
                    return new StorageUnavailableException(sqlState: null);
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database failure in {Interface}.{Method} ({ExceptionType}, SQLSTATE {SqlState}); answered as storage unavailable")]
    private static partial void LogStorageFailure(ILogger logger, string exceptionType, string sqlState, string @interface, string method);
}
