using System.Diagnostics;
using ClinicCluster.ServiceDefaults.Telemetry;
using OpenTelemetry.Trace;

namespace ClinicCluster.Api.Tests;

/// <summary>The trace sampler: the trace id decides, not a caller's flag; children follow their parent.</summary>
public sealed class TraceSamplingTests
{
    [Fact]
    public void A_caller_cannot_switch_recording_on_with_the_sampled_flag()
    {
        var decision = TraceSampling.For(0.0).ShouldSample(Remote(ActivityTraceId.CreateRandom(), sampled: true));

        Assert.Equal(SamplingDecision.Drop, decision.Decision);
    }

    [Fact]
    public void Every_trace_is_recorded_at_ratio_one_whatever_the_caller_says()
    {
        var decision = TraceSampling.For(1.0).ShouldSample(Remote(ActivityTraceId.CreateRandom(), sampled: false));

        Assert.Equal(SamplingDecision.RecordAndSample, decision.Decision);
    }

    [Fact]
    public void At_a_ratio_the_trace_id_gives_every_process_the_same_answer_and_spans_follow_their_parent()
    {
        var api = TraceSampling.For(0.5);
        var silo = TraceSampling.For(0.5);
        var ids = Enumerable.Range(0, 200).Select(_ => ActivityTraceId.CreateRandom()).ToList();

        var atApi = ids.Select(id => api.ShouldSample(Root(id)).Decision).ToList();
        var atSilo = ids.Select(id => silo.ShouldSample(Remote(id, sampled: true)).Decision).ToList();

        Assert.Equal(atApi, atSilo);
        Assert.Contains(SamplingDecision.Drop, atApi);
        Assert.Contains(SamplingDecision.RecordAndSample, atApi);
        Assert.Equal(SamplingDecision.RecordAndSample, api.ShouldSample(Local(ids[0], sampled: true)).Decision);
        Assert.Equal(SamplingDecision.Drop, api.ShouldSample(Local(ids[0], sampled: false)).Decision);
    }

    private static SamplingParameters Root(ActivityTraceId traceId) =>
        new(default, traceId, "GET /clinics/{clinicId}/patients/{patientId}", ActivityKind.Server);

    private static SamplingParameters Remote(ActivityTraceId traceId, bool sampled) =>
        new(new ActivityContext(traceId, ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true),
            traceId, "grain call", ActivityKind.Server);

    private static SamplingParameters Local(ActivityTraceId traceId, bool sampled) =>
        new(new ActivityContext(traceId, ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: false),
            traceId, "storage", ActivityKind.Internal);
}
