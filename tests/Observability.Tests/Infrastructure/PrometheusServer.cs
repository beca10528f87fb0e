using System.Globalization;
using System.Text.Json;

namespace ClinicCluster.Observability.Tests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian package prometheus; scripts/prerequisites.sh installs it) on a free
/// loopback port, scraping the given targets every second with the metrics bearer token and
/// loading the chart's alert rules. Killed on dispose; its data stays under .tmp/observability.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(ChildProcess process, Uri address, string logPath)
    {
        _process = process;
        Address = address;
        LogPath = logPath;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address { get; }

    public string LogPath { get; }

    public static async Task<PrometheusServer> StartAsync(string tokenFile, IReadOnlyDictionary<string, int> jobs)
    {
        var folder = RepoPaths.NewFolder("prometheus");
        var port = Ports.Free();
        var config = Path.Combine(folder, "prometheus.yml");
        var scrape = string.Concat(jobs.Select(job => $"""
              - job_name: {job.Key}
                authorization:
                  type: Bearer
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ['127.0.0.1:{job.Value.ToString(CultureInfo.InvariantCulture)}']

            """));
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {Path.Combine(RepoPaths.PrometheusFiles, "alerts.yaml")}
            scrape_configs:
            {scrape}
            """);

        var logPath = Path.Combine(folder, "prometheus.log");
        string[] arguments =
        [
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(folder, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--log.level=warn",
        ];
        var process = ChildProcess.Start("prometheus", "prometheus", arguments, folder, new Dictionary<string, string>(), logPath);
        var server = new PrometheusServer(process, new Uri($"http://127.0.0.1:{port}"), logPath);
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>An instant query: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        using var response = await _http.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(promQl), UriKind.Relative));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (json.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Query {promQl} failed: {json}");
        }

        return [.. json.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The loaded alerting rules: name, health and state.</summary>
    public async Task<IReadOnlyList<(string Name, string Health, string State)>> AlertRulesAsync()
    {
        var json = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/v1/rules?type=alert", UriKind.Relative))).RootElement;
        return [.. json.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray())
            .Select(rule => (rule.GetProperty("name").GetString()!, rule.GetProperty("health").GetString()!, rule.GetProperty("state").GetString()!))];
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task WaitReadyAsync() =>
        Readiness.WaitAsync(_http, new Uri("/-/ready", UriKind.Relative), TimeSpan.FromSeconds(30),
            failure: () => _process.HasExited ? $"prometheus exited ({_process.ExitCode})" : null, detail: () => "log " + LogPath + ":\n" + _process.LogTail());
}
