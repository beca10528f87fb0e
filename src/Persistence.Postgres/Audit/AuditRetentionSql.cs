using System.Globalization;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>Retention's statements; the functions come from migration 0470_audit_partition_maintenance.sql.</summary>
internal static class AuditRetentionSql
{
    public const string LatestCut = """
        SELECT sequence, hash, partition_name, key_id, signature FROM audit.retention_cuts
        WHERE clinic_id = @clinic_id ORDER BY sequence DESC LIMIT 1
        """;

    public const string UnsignedCuts = "SELECT clinic_id, sequence, hash, partition_name FROM audit.retention_cuts WHERE signature IS NULL";

    public const string Sign = "SELECT audit.sign_retention_cut(@clinic_id, @sequence, @key_id, @signature)";

    public const string EnsureMonthsAhead = "SELECT audit.ensure_months_ahead(@today, @months)";

    /// <summary>The attached months that ended on or before the cut-off, oldest first.</summary>
    public const string ExpiredMonths = """
        SELECT to_date(substring(c.relname from 8), 'YYYY_MM') AS month
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit.events'::regclass AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$'
          AND (to_date(substring(c.relname from 8), 'YYYY_MM') + interval '1 month') <= @cutoff
        ORDER BY 1
        """;

    /// <summary>Detached months not dropped yet (an archive that failed half-way is retried).</summary>
    public const string DetachedMonths = """
        SELECT to_date(substring(c.relname from 8), 'YYYY_MM') AS month
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'audit' AND c.relkind = 'r' AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$'
          AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
        ORDER BY 1
        """;

    public const string DetachMonth = "SELECT cut_clinic_id, cut_sequence, cut_hash FROM audit.detach_month(@month)";

    public const string DropDetachedMonth = "SELECT audit.drop_detached_month(@month)";

    /// <summary>The whole detached month, in PostgreSQL's binary COPY format (restored with COPY ... FROM into a table LIKE audit.events).</summary>
    public static string Archive(DateOnly month) => $"COPY audit.{PartitionName(month)} TO STDOUT (FORMAT binary)";

    public static string PartitionName(DateOnly month) => "events_" + month.ToString("yyyy_MM", CultureInfo.InvariantCulture);
}
