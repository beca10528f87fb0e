using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Webhooks;

/// <summary>
/// The silo's webhook services (decision 0046); the PostgreSQL host replaces the store. This project
/// has no ASP.NET reference, so <see cref="WebhookOptionsValidator"/> applies the data annotations
/// that ValidateDataAnnotations would.
/// </summary>
public static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton<IWebhookStore, MemoryWebhookStore>();
        services.TryAddSingleton<WebhookUrlGuard>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookRetention>();
        return services;
    }
}
