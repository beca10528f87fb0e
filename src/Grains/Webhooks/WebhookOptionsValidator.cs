using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Webhooks;

/// <summary>The data annotations of <see cref="WebhookOptions"/>, then the rules that span settings.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var failures = results.Select(r => $"{WebhookOptions.SectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}").ToList();
        if (options.FirstRetryDelay > options.MaxRetryDelay)
        {
            failures.Add($"{WebhookOptions.SectionName}:FirstRetryDelay must not exceed {WebhookOptions.SectionName}:MaxRetryDelay.");
        }

        if (options.DeadAfter <= options.DeliveryTimeout)
        {
            failures.Add($"{WebhookOptions.SectionName}:DeadAfter must be longer than {WebhookOptions.SectionName}:DeliveryTimeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
