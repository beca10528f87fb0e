namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// What the commands that join the running cluster (<c>reconcile</c>, <c>encryption reindex</c>)
/// need from the host whose settings describe that cluster. The silo implements it with its own
/// <c>SiloOptions</c> (same ids, same membership), so the commands live here beside their SQL while
/// the silo's options stay in the silo.
/// </summary>
public interface IClusterAccess
{
    /// <summary>The service id that grain state and reminders are keyed by.</summary>
    string ServiceId(IConfiguration configuration);

    /// <summary>An Orleans client host of that cluster, built but not started.</summary>
    IHost BuildClient(IConfiguration configuration);
}
