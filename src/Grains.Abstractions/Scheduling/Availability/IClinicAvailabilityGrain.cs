using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic-wide earliest-slot search (decisions 0036, 0059): checks the query, reads the clinic,
/// and asks the clinic's replica of the calendars (<see cref="IClinicCalendarReplicaGrain"/>) for
/// the page. Stateless, so every silo can answer. Key: the clinic id.
/// </summary>
public interface IClinicAvailabilityGrain : Clinics.IClinicKeyedGrain
{
    /// <summary>The earliest open slots matching <paramref name="query"/>, or why the query is invalid.</summary>
    [ReadOnly]
    Task<Result<ClinicAvailabilityPage>> FindAsync(ClinicAvailabilityQuery query);
}
