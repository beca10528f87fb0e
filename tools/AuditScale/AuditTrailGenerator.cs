using ClinicCluster.Audit;

namespace ClinicCluster.AuditScale;

/// <summary>
/// The events of one clinic's trail, in time order, deterministic for a seed. Only ids, as the API
/// records them (no PHI exists in an audit event); the patient ids follow a skewed distribution
/// (a few patients are read often, most rarely), searches disclose up to five patients.
/// </summary>
public static class AuditTrailGenerator
{
    private static readonly string[] Operations = ["GetPatient", "GetPatientAppointments", "SearchPatients", "UpdatePatient", "RegisterPatient", "BookAppointment"];

    public static IEnumerable<List<AuditEvent>> Batches(AuditTrailShape shape, string clinicId, long skip = 0)
    {
        var random = new Random(HashCode.Combine(shape.Seed, clinicId.GetHashCode(StringComparison.Ordinal)));
        var start = new DateTimeOffset(shape.Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var step = TimeSpan.FromDays(shape.Days).Ticks / Math.Max(1, shape.Rows);
        var hotEvery = shape.HotPatientEvents > 0 ? Math.Max(1, shape.Rows / shape.HotPatientEvents) : long.MaxValue;
        var batch = new List<AuditEvent>(shape.BatchSize);
        for (long i = 0; i < shape.Rows; i++)
        {
            // Draw for every row, skipped or not, so a resumed run writes the same events.
            var auditEvent = Event(shape, clinicId, random, start.AddTicks(i * step), i % hotEvery == 0);
            if (i < skip)
            {
                continue;
            }

            batch.Add(auditEvent);
            if (batch.Count == shape.BatchSize)
            {
                yield return batch;
                batch = new List<AuditEvent>(shape.BatchSize);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static AuditEvent Event(AuditTrailShape shape, string clinicId, Random random, DateTimeOffset at, bool hot)
    {
        // Skewed: squaring a uniform draw puts most reads on the low-numbered patients.
        var draw = random.NextDouble();
        var patient = hot ? shape.HotPatient : AuditTrailShape.PatientId((int)(draw * draw * shape.Patients));
        var kind = random.Next(100);
        var operation = kind switch { < 60 => 0, < 70 => 1, < 85 => 2, < 93 => 3, < 97 => 4, _ => 5 };
        var search = operation == 2;
        string[]? disclosed = search
            ? [.. Enumerable.Range(0, 1 + random.Next(5)).Select(_ => AuditTrailShape.PatientId(random.Next(shape.Patients)))]
            : null;
        if (search && hot)
        {
            disclosed![0] = shape.HotPatient;
        }

        var actor = random.Next(shape.Actors);
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new AuditEvent(
            EventId: new Guid(bytes),
            RecordedAt: at,
            ClinicId: clinicId,
            Action: operation switch { 0 or 1 => AuditAction.Read, 2 => AuditAction.Search, 3 => AuditAction.Update, _ => AuditAction.Create },
            Outcome: random.Next(200) == 0 ? AuditOutcome.Denied : AuditOutcome.Success,
            Actor: new AuditActor($"user-{actor:D4}", "clinician", $"10.0.{actor % 256}.{actor / 256 % 256}", "clinic-web/1.0"),
            PatientId: search ? null : patient,
            ResourceType: operation is 1 or 5 ? "Appointment" : "Patient",
            ResourceId: search ? null : operation is 1 or 5 ? $"apt-{random.Next(1_000_000):D7}" : patient,
            Operation: Operations[operation],
            HttpStatus: 200,
            PurposeOfUse: "TREAT",
            CorrelationId: Convert.ToHexStringLower(bytes),
            QueryKind: search ? "name-prefix" : null,
            ResultCount: search ? disclosed!.Length : null,
            DisclosedPatientIds: disclosed);
    }
}
