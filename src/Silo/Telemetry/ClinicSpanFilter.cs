using System.Diagnostics;
using ClinicCluster.Clinics;
using ClinicCluster.Telemetry;

namespace ClinicCluster.Silo.Telemetry;

/// <summary>
/// Tags each grain call's server span with the clinic it is about (<c>clinic.id</c>), read from the
/// grain key: the key of a clinic-keyed grain (<see cref="IClinicKeyedGrain"/>: the clinic and the
/// per-clinic grains beside it) is the clinic id, every other clinic-owned grain's key is
/// "{clinicId}/{id}" (ClinicScopedKey). Only the clinic part is used: the rest may be a patient id.
/// </summary>
internal sealed class ClinicSpanFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (Activity.Current is { IsAllDataRequested: true } span && span.Source.Name == TelemetryNames.OrleansApplicationSource)
        {
            var key = context.TargetId.Key.ToString();
            var separator = key.IndexOf('/', StringComparison.Ordinal);
            var clinic = context.InterfaceMethod?.DeclaringType is { } declaring && declaring.IsAssignableTo(typeof(IClinicKeyedGrain)) ? key
                : separator > 0 ? key[..separator]
                : null;
            if (clinic is not null)
            {
                span.SetTag(TelemetryNames.ClinicIdAttribute, clinic);
            }
        }

        return context.Invoke();
    }
}
