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
    using var http = new ClinicClient(Ceiling.Address(ceiling), "none", options.Connections);
    var (recorder, dropped) = await LoadRunner.RunAsync(options, (_, ct) => http.SendAsync(HttpMethod.Get, "/", cancellationToken: ct));
    report = recorder.Report(options, dropped);
}
else
{
    using var api = new ClinicClient(options.Url, DevToken.Admin(options.SigningKey), options.Connections);
    var scenario = await Scenario.PrepareAsync(options, api);
    var (recorder, dropped) = await LoadRunner.RunAsync(options, scenario.SendAsync);
    report = recorder.Report(options, dropped, scenario.Checks());
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
