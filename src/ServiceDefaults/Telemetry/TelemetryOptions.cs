using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.ServiceDefaults.Telemetry;

/// <summary>Section "Telemetry": how many requests are traced (docs/operations/observability.md).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The share of traces recorded, decided from the trace id (the same id gives the same answer in
    /// the API and every silo, so a trace is whole or absent). Null: every trace when OTLP export is
    /// configured, none when it is not, since nothing would receive them. Trace ids are propagated
    /// either way, so logs and problem details still carry one. Recording a span costs CPU on every
    /// request (about a tenth of the API's under a read load); busy deployments trace a sample.
    /// </summary>
    [Range(0.0, 1.0)]
    public double? TraceSampleRatio { get; set; }

    public double EffectiveTraceSampleRatio(bool exporting) => TraceSampleRatio ?? (exporting ? 1.0 : 0.0);
}
