using System.Globalization;
using System.Text.Json;
using ClinicCluster.LoadGen;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

Report report;
if (options.Scenario == "ceiling")
{
    await using var ceiling = await Ceiling.StartAsync();
    using var http = new ClinicClient(Ceiling.Address(ceiling), "none", options.Connections, TimeSpan.FromSeconds(options.TimeoutSeconds));
    LoadRunner.Send send = (_, ct) => http.SendAsync(HttpMethod.Get, "/", cancellationToken: ct);
    var next = await WarmUpAsync(options, send);
    var (recorder, dropped, _) = await LoadRunner.RunAsync(options, send, next);
    report = recorder.Report(options, dropped);
}
else
{
    var token = options.TokenFile is { } tokenFile ? (await File.ReadAllTextAsync(tokenFile)).Trim()
        : options.Scenario is "audit-patient" or "audit-window" or "disclosures" ? DevToken.Auditor(options.SigningKey)
        : DevToken.Admin(options.SigningKey);
    using var api = new ClinicClient(options.Url, token, options.Connections, TimeSpan.FromSeconds(options.TimeoutSeconds));
    var scenario = await Scenario.PrepareAsync(options, api);
    if (options.Scenario == "seed")
    {
        await scenario.WriteClinicAsync(options.ClinicFile!);
        return 0;
    }

    var next = await WarmUpAsync(options, scenario.SendAsync);
    using var acknowledgements = new Acknowledgements(options.Acks);
    api.Observe = acknowledgements.Observe;
    var (recorder, dropped, _) = await LoadRunner.RunAsync(options, scenario.SendAsync, next);
    report = recorder.Report(options, dropped, scenario.Checks().Concat(acknowledgements.Checks()).ToDictionary());
}

var json = JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
if (options.Output is { } path)
{
    await File.WriteAllTextAsync(path, json);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{report.Scenario,-13} {report.Mode,-6} {report.Throughput,10:F1} req/s  p50 {report.LatencyMs.P50,7:F2}  p95 {report.LatencyMs.P95,7:F2}  p99 {report.LatencyMs.P99,7:F2}  max {report.LatencyMs.Max,8:F2} ms  " +
    $"statuses {string.Join(' ', report.Statuses.Select(s => $"{s.Key}x{s.Value}"))}{(report.Dropped > 0 ? $"  dropped {report.Dropped}" : "")}"));
return 0;

// Unmeasured load first (JIT, pools, grain activations), numbered before the measured requests so
// bookings still never repeat a slot; answers the next request number.
static async Task<long> WarmUpAsync(LoadOptions options, LoadRunner.Send send)
{
    if (options.WarmUpSeconds <= 0)
    {
        return 0;
    }

    var (_, _, issued) = await LoadRunner.RunAsync(options with { DurationSeconds = options.WarmUpSeconds }, send);
    return issued;
}
