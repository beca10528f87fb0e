using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic-wide earliest-slot search (decision 0036): a bounded fan-out over the providers'
/// calendars that stops as soon as a page is certain. Stateless, so every silo can answer. Key: the clinic id.
/// </summary>
public interface IClinicAvailabilityGrain : IGrainWithStringKey
{
    /// <summary>The earliest open slots matching <paramref name="query"/>, or why the query is invalid.</summary>
    [ReadOnly]
    Task<Result<ClinicAvailabilityPage>> FindAsync(ClinicAvailabilityQuery query);
}
