using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ClinicCluster.ServiceDefaults.Management;

/// <summary>
/// The management listener (section "Management"): health probes, Prometheus <c>/metrics</c> and
/// the silo's dashboard, apart from public traffic. Without a port they share the host's normal
/// listener (development and the in-process tests).
/// </summary>
public sealed class ManagementOptions : IValidatableObject
{
    public const string SectionName = "Management";

    /// <summary>The port of the management listener; unset: management shares the host's own listener.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>The address it binds to: loopback by default, 0.0.0.0 in containers (the port is then network-restricted).</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>A file holding the bearer token Prometheus sends (a mounted Secret); required outside the embedded default.</summary>
    public string? MetricsTokenFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(BindAddress, out _))
        {
            yield return new ValidationResult("is not an IP address.", [nameof(BindAddress)]);
        }

        if (!string.IsNullOrWhiteSpace(MetricsTokenFile)
            && (!File.Exists(MetricsTokenFile) || string.IsNullOrWhiteSpace(File.ReadAllText(MetricsTokenFile))))
        {
            yield return new ValidationResult("names no file, or an empty one.", [nameof(MetricsTokenFile)]);
        }
    }

    /// <summary>
    /// Binds and validates the section now: the listener addresses are needed before the host is
    /// built, so this cannot wait for ValidateOnStart. A bad value stops the host naming the setting.
    /// </summary>
    public static ManagementOptions Read(IConfiguration configuration) => ConfiguredOptions.Read<ManagementOptions>(configuration, SectionName);

    /// <summary>The management listener's URL for Kestrel.</summary>
    internal string Url(int port)
    {
        var address = IPAddress.Parse(BindAddress);
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"http://{host}:{port}";
    }
}
