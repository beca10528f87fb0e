using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// Re-reads the cluster certificates every <see cref="ClusterTls.ReloadInterval"/> and logs each
/// change: one line when a new certificate or bundle is in use, one line when a changed set is
/// refused (the host keeps presenting the old one). Polling the bytes, not a file watcher: a
/// Kubernetes Secret volume changes by swapping the <c>..data</c> symlink, which a watcher on the
/// mounted file names does not report, and a poll of three small files costs nothing.
/// </summary>
public sealed partial class ClusterTlsReloader(ClusterTls tls, ILogger<ClusterTlsReloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogInUse(logger, tls.Current.Describe(), tls.ReloadInterval);
        using var timer = new PeriodicTimer(tls.ReloadInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var reload = tls.Reload();
            switch (reload.Outcome)
            {
                case ClusterTlsReloadOutcome.Loaded:
                    LogLoaded(logger, reload.Message);
                    break;
                case ClusterTlsReloadOutcome.Rejected:
                    LogRejected(logger, reload.Message);
                    break;
                default:
                    break;
            }
        }
    }

    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "Cluster TLS: presenting {Certificate}; files re-read every {Interval}.")]
    private static partial void LogInUse(ILogger logger, string certificate, TimeSpan interval);

    [LoggerMessage(EventId = 2902, Level = LogLevel.Information, Message = "Cluster TLS: new certificate files in use for new connections: {Certificate}.")]
    private static partial void LogLoaded(ILogger logger, string certificate);

    [LoggerMessage(EventId = 2903, Level = LogLevel.Warning, Message = "Cluster TLS: changed certificate files not used: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}

public static class ClusterTlsServiceCollectionExtensions
{
    /// <summary>Keeps <paramref name="tls"/> current while the host runs.</summary>
    public static IServiceCollection AddClusterTlsReload(this IServiceCollection services, ClusterTls tls)
    {
        services.AddSingleton(tls);
        services.AddHostedService<ClusterTlsReloader>();
        return services;
    }
}
