using ClinicCluster.Audit;
using Npgsql;
using NpgsqlTypes;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// Appends audit records to <c>audit.events</c>, a batch per transaction in two round trips plus
/// the commit: (1) take the clinic's advisory lock, claim the batch's event ids (redelivered ones
/// are not claimed) and read the chain head; (2) insert the claimed events, linked one after the
/// other onto the head, in one statement (one array per column). The lock, not the grain, is what
/// keeps the chain linear; taking it before the claims means two transactions of one clinic never
/// wait on each other's claims (no deadlock).
/// </summary>
public sealed class PostgresAuditStore(NpgsqlDataSource dataSource, AuditChainKeys keys) : IAuditStore
{
    public async Task<bool> AppendAsync(AuditEvent auditEvent) =>
        (await AppendBatchAsync([auditEvent])).Count == 1;

    public async Task<IReadOnlyList<AuditRecord>> AppendBatchAsync(IReadOnlyList<AuditEvent> events)
    {
        var clinic = AuditBatch.ClinicOf(events);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var claimed = new HashSet<Guid>();
        long sequence = 0;
        var previousHash = AuditChain.Genesis;
        await using (var prepare = new NpgsqlBatch(connection, transaction))
        {
            var lockClinic = new NpgsqlBatchCommand(AuditSql.LockClinic);
            lockClinic.Parameters.AddWithValue("clinic_id", clinic);
            var claim = new NpgsqlBatchCommand(AuditSql.ClaimEventIds);
            claim.Parameters.Add(new NpgsqlParameter("event_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.EventId).ToArray() });
            claim.Parameters.AddWithValue("clinic_id", clinic);
            var head = new NpgsqlBatchCommand(AuditSql.Head);
            head.Parameters.AddWithValue("clinic_id", clinic);
            prepare.BatchCommands.Add(lockClinic);
            prepare.BatchCommands.Add(claim);
            prepare.BatchCommands.Add(head);

            await using var reader = await prepare.ExecuteReaderAsync();
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                claimed.Add(reader.GetGuid(0));
            }

            await reader.NextResultAsync();
            if (await reader.ReadAsync())
            {
                (sequence, previousHash) = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        if (claimed.Count == 0)
        {
            // Every event was a redelivery: nothing to write, nothing claimed.
            return [];
        }

        var records = AuditBatch.Link(events, claimed, sequence, previousHash, keys.Active);
        await using (var insert = new NpgsqlCommand(AuditSql.InsertBatch, connection, transaction))
        {
            AuditRows.BindBatch(insert.Parameters, clinic, records);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return records;
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(string clinicId, AuditQuery query)
    {
        var records = new List<AuditRecord>();
        var indexPage = AuditSql.IsIndexPage(query);
        while (true)
        {
            await using var command = dataSource.CreateCommand(AuditSql.Query(query));
            AuditSql.BindQuery(command.Parameters, clinicId, query);
            var (rows, lastRow) = (0, query.AfterSequence);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows++;
                    if (indexPage)
                    {
                        // An index row whose event does not name the patient (a key collision) has no event.
                        lastRow = reader.GetInt64(reader.FieldCount - 1);
                        if (reader.IsDBNull(0))
                        {
                            continue;
                        }
                    }

                    if (records.Count < query.Limit)
                    {
                        records.Add(AuditRows.Read(reader));
                    }
                }
            }

            // A page short of skipped rows reads on after the last index row, so a collision never
            // ends the client's paging early; without one (every day) this is one round trip.
            if (!indexPage || records.Count >= query.Limit || rows < query.Limit)
            {
                return records;
            }

            query = query with { AfterSequence = lastRow };
        }
    }
}
