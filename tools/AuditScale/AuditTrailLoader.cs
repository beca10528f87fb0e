using System.Diagnostics;
using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using Npgsql;

namespace ClinicCluster.AuditScale;

/// <summary>
/// Writes generated trails through <see cref="PostgresAuditStore.AppendBatchAsync"/>, the silo's own
/// append (advisory lock, id claims, head, keyed links, one insert per batch): the rows are the
/// ones the store writes, so `audit verify` verifies them. Clinics load in parallel (one chain
/// each is serial by design). Resumable: a clinic continues from its chain head.
/// </summary>
public sealed class AuditTrailLoader(NpgsqlDataSource dataSource, AuditChainKeys keys)
{
    public async Task<AuditLoadReport> LoadAsync(AuditTrailShape shape, int parallelism, Action<string>? progress, CancellationToken cancellationToken)
    {
        var store = new PostgresAuditStore(dataSource, keys);
        long written = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(shape.ClinicIds, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (clinicId, token) =>
            {
                var done = await AuditTrailStatistics.HeadAsync(dataSource, clinicId, token);
                foreach (var batch in AuditTrailGenerator.Batches(shape, clinicId, skip: done))
                {
                    token.ThrowIfCancellationRequested();
                    var appended = (await store.AppendBatchAsync(batch)).Count;
                    var total = Interlocked.Add(ref written, appended);
                    if (total / 100_000 != (total - appended) / 100_000)
                    {
                        progress?.Invoke($"{total:N0} rows in {clock.Elapsed.TotalSeconds:F0} s ({total / clock.Elapsed.TotalSeconds:N0} rows/s)");
                    }
                }
            });
        return new AuditLoadReport(written, clock.Elapsed);
    }
}

/// <summary>How many rows a load wrote and how long it took.</summary>
public sealed record AuditLoadReport(long Rows, TimeSpan Elapsed)
{
    public double RowsPerSecond => Rows / Math.Max(Elapsed.TotalSeconds, 0.001);
}
