using System.Security.Cryptography;
using ClinicCluster.Security;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Patients;

/// <summary>The partition's snapshot (decision 0060): read on activation, written by a timer and on deactivation.</summary>
public sealed partial class NameIndexGrain
{
    // Rows the next activation would decrypt, roughly: changes and decrypted rows since the last snapshot.
    private int _unsnapshotted;
    private bool _writingSnapshot;

    private void StartSnapshotTimer() =>
        this.RegisterGrainTimer(async () =>
        {
            if (NameIndexSnapshotPolicy.OnTimer(_index.Count, _unsnapshotted))
            {
                await WriteSnapshotAsync();
            }
        }, new GrainTimerCreationOptions(NameIndexSnapshotPolicy.Interval, NameIndexSnapshotPolicy.Interval) { KeepAlive = false });

    /// <summary>The snapshot, or null when there is none or it cannot be opened (a retired key, a damaged value): a cache only.</summary>
    private async Task<NameIndexSnapshot?> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        if (await snapshots.ReadAsync(_self) is not { } payload)
        {
            return null;
        }

        try
        {
            var columns = await protector.UnprotectAsync<NameIndexSnapshotColumns>(payload, PhiField.NameIndexSnapshot(_clinicId, _self), cancellationToken);
            return columns.ToSnapshot();
        }
        catch (Exception exception) when (exception is CryptographicException or System.Text.Json.JsonException)
        {
            LogSnapshotUnreadable(logger, _self, exception.GetType().Name);
            return null;
        }
    }

    private async Task WriteSnapshotAsync()
    {
        if (_writingSnapshot)
        {
            return;
        }

        _writingSnapshot = true;
        try
        {
            var counted = await snapshotGate.RunAsync(async () =>
            {
                var rows = await store.LoadStampsAsync(_self);

                // Paired in one turn after the read: what memory holds and what is changing now.
                var counted = _unsnapshotted;
                var snapshot = NameIndexSnapshot.Take(rows, _index.Find, _changing.Keys.ToHashSet(StringComparer.Ordinal));

                // Serializing and encrypting 100,000 entries takes a while: off the grain's turn.
                var field = PhiField.NameIndexSnapshot(_clinicId, _self);
                var payload = await Task.Run(async () => await protector.ProtectAsync(NameIndexSnapshotColumns.Of(snapshot), field));
                await snapshots.WriteAsync(_self, snapshot.Entries.Count, payload);
                return counted;
            });
            _unsnapshotted = Math.Max(0, _unsnapshotted - counted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never fatal: the partition serves from memory, and the next activation decrypts more.
            LogSnapshotWriteFailed(logger, exception, _self);
        }
        finally
        {
            _writingSnapshot = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Name index partition {Partition}: its snapshot could not be opened ({Reason}); every row is decrypted")]
    private static partial void LogSnapshotUnreadable(ILogger logger, string partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Name index partition {Partition}: writing its snapshot failed; the next activation decrypts the rows changed since the last one")]
    private static partial void LogSnapshotWriteFailed(ILogger logger, Exception exception, string partition);
}
