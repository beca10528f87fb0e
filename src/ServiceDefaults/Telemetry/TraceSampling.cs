using OpenTelemetry.Trace;

namespace ClinicCluster.ServiceDefaults.Telemetry;

/// <summary>The sampler of both hosts: a share of traces, decided by trace id.</summary>
public static class TraceSampling
{
    public static Sampler For(double ratio)
    {
        Sampler byTraceId = ratio switch
        {
            >= 1.0 => new AlwaysOnSampler(),
            <= 0.0 => new AlwaysOffSampler(),
            _ => new TraceIdRatioBasedSampler(ratio),
        };

        // A remote parent's sampled flag is not trusted: any HTTP client could set it and have all
        // its requests recorded. The trace id decides instead, which gives the API and the silos
        // (configured with the same ratio) the same answer for one trace. Spans inside a process
        // follow their parent.
        return new ParentBasedSampler(
            byTraceId,
            remoteParentSampled: byTraceId,
            remoteParentNotSampled: byTraceId,
            localParentSampled: new AlwaysOnSampler(),
            localParentNotSampled: new AlwaysOffSampler());
    }
}
