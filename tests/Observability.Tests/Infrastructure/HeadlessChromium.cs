using System.Diagnostics;

namespace ClinicCluster.Observability.Tests.Infrastructure;

/// <summary>
/// Headless Chromium (Debian package chromium; scripts/prerequisites.sh installs it): loads a page,
/// lets its scripts run for a few seconds of virtual time, and keeps the rendered DOM and a
/// screenshot.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>The rendered DOM; the screenshot is written only when Chromium rendered a page (not for an auth prompt).</summary>
    public static async Task<string> RenderAsync(Uri url, string screenshotPath)
    {
        var profile = Path.Combine(Path.GetDirectoryName(screenshotPath)!, "profile-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await RunAsync(profile, url, "--screenshot=" + screenshotPath, "--window-size=1400,1000");
            return await RunAsync(profile, url, "--dump-dom");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string profile, Uri url, params string[] arguments)
    {
        var start = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            // No sandbox: CI and these tests run as root, which Chromium's sandbox refuses.
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=" + profile, "--virtual-time-budget=8000", "--hide-scrollbars",
        }.Concat(arguments).Append(url.AbsoluteUri))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within 60 s: {await error}");
        }

        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await error}");
    }
}
