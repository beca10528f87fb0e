using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// Options read while a host is being built (or by a command, which has no host): where a value
/// decides what is registered (ports, clustering, whether a feature is on), so it cannot wait for
/// <c>ValidateOnStart</c>. The same data annotations apply as in the registered options, and a
/// failure is the same <see cref="OptionsValidationException"/>, each message "Section:Member: problem".
/// A rule that spans fields is the options' <see cref="IValidateOptions{TOptions}"/>, passed in and
/// run after the annotations: the same class the host registers, so no rule is written twice.
/// </summary>
public static class ConfiguredOptions
{
    public static T Read<T>(IConfiguration configuration, string section, Action<T>? adjust = null, IValidateOptions<T>? validator = null)
        where T : class, new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            // A value that does not convert ("ten" for a number): the binder's message names the key.
            throw new OptionsValidationException(section, typeof(T), [$"{section}: {exception.Message}"]);
        }

        adjust?.Invoke(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(section, typeof(T),
                results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        if (validator?.Validate(Options.DefaultName, options) is { Failed: true } result)
        {
            throw new OptionsValidationException(section, typeof(T), result.Failures);
        }

        return options;
    }
}
