using System.Globalization;
using System.Net;

namespace ClinicCluster.LoadGen;

/// <summary>
/// The command line: <c>LoadGen &lt;scenario&gt; [--url http://127.0.0.1:5080] [--connections 64]
/// [--duration 10] [--warmup 0] [--rate 0] [--max-requests 1000000] [--pairs 32] [--slots 10] [--clinic ID] [--clinic-file F] [--patient ID] [--name Smith] [--start 0] [--chunk 1000] [--run-id ID] [--out file.json] [--acks acks.txt]
/// [--timeout 30] [--signing-key KEY] [--token-file FILE] [--webhook URL]</c>. Closed loop (each connection sends its next request when the last one
/// answered) unless <c>--rate</c> is set: then open loop at that many requests per second, at most
/// <c>--connections</c> in flight. Bounded: loopback targets only, at most 10 minutes, at most
/// 10,000,000 requests.
/// </summary>
public sealed record LoadOptions
{
    public static readonly string[] Scenarios = ["read-patient", "read-patient-fhir", "book", "contend", "hold-race", "availability", "availability-clinic", "find-fhir", "mixed", "register", "search", "import", "ceiling",
        "seed", "mrn", "provider-day", "patient-appointments", "audit-patient", "audit-window", "disclosures"];

    private const int MaxDurationSeconds = 600;
    private const long MaxRequestsLimit = 10_000_000;

    public required string Scenario { get; init; }
    public Uri Url { get; init; } = new("http://127.0.0.1:5080");
    public int Connections { get; init; } = 64;
    public double DurationSeconds { get; init; } = 10;
    public double Rate { get; init; }

    /// <summary>Seconds of unmeasured load before the measured run.</summary>
    public double WarmUpSeconds { get; init; }
    public long MaxRequests { get; init; } = 1_000_000;

    /// <summary>Provider/patient pairs seeded for read, book, availability and mixed.</summary>
    public int Pairs { get; init; } = 32;

    /// <summary>Slots the contend scenario fights over.</summary>
    public int Slots { get; init; } = 10;

    public string? Output { get; init; }

    /// <summary>register, search and availability-clinic: an existing clinic (a register or book run's), instead of a new one.</summary>
    public string? Clinic { get; init; }

    /// <summary>search: the name prefix asked for (limit 20).</summary>
    public string Name { get; init; } = "Smith";

    /// <summary>import: patients per request (NDJSON lines); the run sends --max-requests such chunks.</summary>
    public int Chunk { get; init; } = 1_000;

    /// <summary>import: the run id the MRNs are made from; the same value re-imports the same file.</summary>
    public string? RunId { get; init; }

    /// <summary>
    /// seed: where to write the clinic it creates (--pairs providers, twice as many patients);
    /// any other scenario: measure that clinic instead of a new one (scripts/bench-scale.sh).
    /// </summary>
    public string? ClinicFile { get; init; }

    /// <summary>disclosures: the patient whose accounting is exported (default: the clinic's first).</summary>
    public string? Patient { get; init; }

    /// <summary>register: the number of the first patient, so a run can continue another's clinic; book: of the first booking.</summary>
    public long Start { get; init; }

    /// <summary>Where to list acknowledged writes (see <see cref="Acknowledgements"/>); none when unset.</summary>
    public string? Acks { get; init; }

    /// <summary>
    /// Seconds before the client gives up on one request (counted as an error). A drill that cuts a
    /// silo off raises it: requests caught by the eviction legitimately take eviction time plus a
    /// response timeout, and the drill reports the slowest rather than failing on it.
    /// </summary>
    public double TimeoutSeconds { get; init; } = 30;

    /// <summary>The API's Auth:DevSigningKey (Development); defaults to the repository's development key.</summary>
    public string SigningKey { get; init; } =
        Environment.GetEnvironmentVariable("Auth__DevSigningKey") ?? "development-only-signing-key-not-for-production-use-0001";

    /// <summary>
    /// A file holding a bearer token (admin in every clinic) issued by the API's Auth:Authority, for
    /// an API in production mode (scripts/rehearse.sh); when set, no development token is minted.
    /// </summary>
    public string? TokenFile { get; init; }

    /// <summary>
    /// A webhook receiver the run's clinic subscribes to (every appointment event) before the load: the
    /// dead-subscriber comparison of scripts/bench-webhooks.sh. Loopback only, like --url; the silo
    /// must allow http and private addresses (Webhooks:AllowHttp, Webhooks:AllowPrivateAddresses).
    /// </summary>
    public Uri? Webhook { get; init; }

    public bool OpenLoop => Rate > 0;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !Scenarios.Contains(args[0]))
        {
            throw new ArgumentException($"usage: LoadGen <{string.Join("|", Scenarios)}> [--url U] [--connections N] [--duration S] [--warmup S] [--rate R] [--max-requests N] [--pairs N] [--slots N] [--clinic ID] [--clinic-file F] [--patient ID] [--name P] [--start N] [--chunk N] [--run-id ID] [--out FILE] [--acks FILE] [--timeout S] [--signing-key K] [--token-file F] [--webhook URL]");
        }

        var options = new LoadOptions { Scenario = args[0] };
        for (var i = 1; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }

            var value = args[i + 1];
            options = args[i] switch
            {
                "--url" => options with { Url = new Uri(value) },
                "--connections" => options with { Connections = Int(value) },
                "--duration" => options with { DurationSeconds = Double(value) },
                "--rate" => options with { Rate = Double(value) },
                "--warmup" => options with { WarmUpSeconds = Double(value) },
                "--max-requests" => options with { MaxRequests = long.Parse(value, CultureInfo.InvariantCulture) },
                "--pairs" => options with { Pairs = Int(value) },
                "--slots" => options with { Slots = Int(value) },
                "--out" => options with { Output = value },
                "--clinic" => options with { Clinic = value },
                "--clinic-file" => options with { ClinicFile = value },
                "--patient" => options with { Patient = value },
                "--chunk" => options with { Chunk = Int(value) },
                "--run-id" => options with { RunId = value },
                "--name" => options with { Name = value },
                "--start" => options with { Start = long.Parse(value, CultureInfo.InvariantCulture) },
                "--acks" => options with { Acks = value },
                "--timeout" => options with { TimeoutSeconds = Double(value) },
                "--signing-key" => options with { SigningKey = value },
                "--token-file" => options with { TokenFile = value },
                "--webhook" => options with { Webhook = new Uri(value) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        options.Validate();
        return options;
    }

    private void Validate()
    {
        if (!IsLoopback(Url))
        {
            throw new ArgumentException("--url must be a loopback address (127.0.0.1, ::1 or localhost): this tool never loads another machine.");
        }

        if (Webhook is { } webhook && !IsLoopback(webhook))
        {
            throw new ArgumentException("--webhook must be a loopback address: the receiver is part of the run.");
        }

        if (Connections is < 1 or > 2048 || Pairs is < 1 or > 100_000 || Slots is < 1 or > 1000)
        {
            throw new ArgumentException("--connections 1..2048, --pairs 1..100000, --slots 1..1000");
        }

        if (TimeoutSeconds is < 1 or > 120)
        {
            throw new ArgumentException("--timeout 1..120 s");
        }

        if (Scenario == "seed" && ClinicFile is null)
        {
            throw new ArgumentException("seed needs --clinic-file: where to write the clinic it creates");
        }

        if (Chunk is < 1 or > 10_000)
        {
            throw new ArgumentException("--chunk 1..10000");
        }

        if (DurationSeconds is <= 0 or > MaxDurationSeconds || WarmUpSeconds is < 0 or > 60 || MaxRequests is < 1 or > MaxRequestsLimit || Rate < 0)
        {
            throw new ArgumentException($"--duration 0..{MaxDurationSeconds} s, --warmup 0..60 s, --max-requests 1..{MaxRequestsLimit}, --rate >= 0");
        }
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static double Double(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
