using System.Collections.Concurrent;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Clinic ids this API process has seen exist, so a request under /api/clinics/{clinicId} whose
/// handler does not need the clinic's settings skips the clinic grain call (one grain round trip
/// per request). Sound because a clinic is never deleted: IClinicGrain has no delete, and its state
/// is never cleared; once it exists it exists for good. Bounded: past <see cref="Capacity"/> ids,
/// further clinics are simply checked on every request, as before. One exception, development
/// only: the embedded in-memory mode forgets its clinics when its silo restarts, and an API that
/// outlived that silo still remembers them; the grains behind the route then answer as for any
/// missing clinic data (the run command restarts both processes together).
/// </summary>
public sealed class KnownClinics
{
    /// <summary>Far more clinics than one deployment serves (the capacity plan is for 200).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    public bool Contains(string clinicId) => _ids.ContainsKey(clinicId);

    /// <summary>Remembers a clinic that was just read from its grain (never an id merely asked for).</summary>
    public void Add(string clinicId)
    {
        // The count is approximate under concurrency; a few ids over the bound are harmless.
        if (_ids.Count < Capacity)
        {
            _ids.TryAdd(clinicId, 0);
        }
    }
}
