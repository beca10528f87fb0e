using System.ComponentModel.DataAnnotations;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Hosting;

/// <summary>
/// How fast a silo that stopped answering is declared dead (section "Silo:Membership"), copied
/// into Orleans' <see cref="ClusterMembershipOptions"/>. The defaults find a killed silo in about
/// 3 s instead of Orleans' 8-15 s, so no request waits on it longer than the API's retry budget;
/// the price is that a silo stalled for about 3 s (GC pause, starved CPU) can be declared dead
/// and restart (docs/decisions/0038-failover-within-five-seconds.md).
/// </summary>
public sealed class SiloMembershipOptions
{
    public const string SectionName = "Silo:Membership";

    /// <summary>
    /// The initial probe timeout (Orleans: 5 s). Orleans adapts each monitor's timeout and probe
    /// period to the measured round trips, between half of this and four times this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row before a silo is suspected (Orleans: 3); the last one goes through another silo.</summary>
    [Range(1, 10)]
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>Suspicions needed to declare a silo dead (Orleans: 2; never more than half the active silos).</summary>
    [Range(1, 10)]
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How long a suspicion counts (Orleans: 2 min).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a silo re-reads the membership table besides gossip (Orleans: 1 min).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a silo writes its heartbeat into the membership table (Orleans: 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Lengthen the probe timeout while this silo itself is degraded (Orleans: on): a starved
    /// prober then does not blame the silo it probes.
    /// </summary>
    public bool ExtendProbeTimeoutDuringDegradation { get; set; } = true;

    /// <summary>Copies the settings into Orleans' options.</summary>
    public void ApplyTo(ClusterMembershipOptions orleans)
    {
        orleans.ProbeTimeout = ProbeTimeout;
        orleans.NumMissedProbesLimit = NumMissedProbesLimit;
        orleans.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        orleans.DeathVoteExpirationTimeout = DeathVoteExpirationTimeout;
        orleans.TableRefreshTimeout = TableRefreshTimeout;
        orleans.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
        orleans.ExtendProbeTimeoutDuringDegradation = ExtendProbeTimeoutDuringDegradation;
    }
}
