using ClinicCluster.Audit;
using Npgsql;

namespace ClinicCluster.Silo.Audit;

/// <summary>
/// Appends audit records to <c>audit.events</c>. One transaction per event: claim the event id
/// (a redelivery stops here), take the clinic's advisory lock, read the chain head, insert the
/// record linked to it. The lock, not the grain, is what keeps the chain linear.
/// </summary>
public sealed class PostgresAuditStore(NpgsqlDataSource dataSource, AuditChainKeys keys) : IAuditStore
{
    public async Task<bool> AppendAsync(AuditEvent auditEvent)
    {
        var stored = auditEvent with { RecordedAt = AuditChain.ToMicroseconds(auditEvent.RecordedAt) };
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await using (var claim = new NpgsqlCommand(AuditSql.ClaimEventId, connection, transaction))
        {
            claim.Parameters.AddWithValue("event_id", stored.EventId);
            claim.Parameters.AddWithValue("clinic_id", stored.ClinicId);
            if (await claim.ExecuteNonQueryAsync() == 0)
            {
                return false;
            }
        }

        await using (var lockClinic = new NpgsqlCommand(AuditSql.LockClinic, connection, transaction))
        {
            lockClinic.Parameters.AddWithValue("clinic_id", stored.ClinicId);
            await lockClinic.ExecuteNonQueryAsync();
        }

        long sequence = 0;
        var previousHash = AuditChain.Genesis;
        await using (var head = new NpgsqlCommand(AuditSql.Head, connection, transaction))
        {
            head.Parameters.AddWithValue("clinic_id", stored.ClinicId);
            await using var reader = await head.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                (sequence, previousHash) = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        var record = AuditChain.Link(sequence + 1, previousHash, stored, keys.Active);
        await using (var insert = new NpgsqlCommand(AuditSql.Insert, connection, transaction))
        {
            AuditRows.Bind(insert, record);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return true;
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(string clinicId, AuditQuery query)
    {
        await using var command = dataSource.CreateCommand(AuditSql.Query);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("after", query.AfterSequence);
        command.Parameters.Add(new NpgsqlParameter("patient_id", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)query.PatientId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("actor", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)query.ActorSubject ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)query.From?.UtcDateTime ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)query.To?.UtcDateTime ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", query.Limit);

        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(AuditRows.Read(reader));
        }

        return records;
    }
}
