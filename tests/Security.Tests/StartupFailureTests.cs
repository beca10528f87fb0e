using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// A misconfigured pod fails fast and says why in one line: each mistake an operator can make with
/// the mounted files (certificates, key rings, secret files) or with TLS to PostgreSQL, as a real
/// process start of the silo and of the API. Asserted: a non-zero exit, exactly one line
/// "Configuration error: ..." naming the setting, no stack frame, and no secret in the output.
/// Every host here is otherwise fully configured, so the one broken setting is what stops it.
/// </summary>
public sealed class StartupFailureTests : IClassFixture<StartupFailureTests.Files>
{
    private const string Password = "pw-4b1d-never-logged";
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);
    private readonly Files _files;

    public StartupFailureTests(Files files) => _files = files;

    public static TheoryData<string, string, string> Mistakes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var host in new[] { HostProcess.Silo, HostProcess.Api })
        {
            data.Add(host, "missing certificate", "ClusterTls:CertificateFile");
            data.Add(host, "empty certificate", "ClusterTls:CertificateFile");
            data.Add(host, "key of another certificate", "ClusterTls:KeyFile");
            data.Add(host, "wrong CA", "not signed by a CA in ClusterTls:CaFile");
            data.Add(host, "expired certificate", "ClusterTls:CertificateFile expired");
            data.Add(host, "missing connection string file", "Postgres:ConnectionStringFile");
            data.Add(host, "missing metrics token file", "MetricsTokenFile");
            data.Add(host, "PostgreSQL refuses TLS", "Postgres:SslMode=VerifyFull");
            data.Add(host, "cluster TLS reloaded too often", "ClusterTls:ReloadInterval");
            data.Add(host, "cluster TLS timeout that is no time", "ClusterTls:HandshakeTimeout");
            data.Add(host, "pool size out of range", "Postgres:MaxPoolSize");
        }

        data.Add(HostProcess.Api, "gateway port out of range", "Cluster:GatewayPort");
        data.Add(HostProcess.Api, "audit events that would expire within a day", "Audit:Stream:ExpiryTimeout");

        data.Add(HostProcess.Silo, "no key ring", "Encryption:KeyRingFile");
        data.Add(HostProcess.Silo, "missing key ring file", "Encryption:KeyRingFile");
        data.Add(HostProcess.Silo, "no audit chain key", "Audit:ChainKeyFile");
        data.Add(HostProcess.Silo, "missing audit chain key file", "Audit:ChainKeyFile");
        data.Add(HostProcess.Silo, "missing dashboard credentials file", "Dashboard:CredentialsFile");
        data.Add(HostProcess.Silo, "dashboard sampling too fast", "Dashboard:CounterUpdateInterval");
        data.Add(HostProcess.Silo, "membership timeout that is no time", "Silo:Membership:ProbeTimeout");
        data.Add(HostProcess.Silo, "memory trims closer than samples", "Silo:MemoryTrim:MinimumInterval");
        data.Add(HostProcess.Silo, "scheduling retries out of range", "Scheduling:RecordRetries");
        data.Add(HostProcess.Silo, "replaced no-show setting", "Scheduling:NoShowAfter");
        data.Add(HostProcess.Silo, "checkpoint interval not positive", "Audit:CheckpointInterval");
        return data;
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_misconfigured_host_exits_with_one_line_naming_the_setting(string host, string mistake, string named)
    {
        using var refusesTls = new ServerRefusingTls();
        var environment = host == HostProcess.Silo ? _files.Silo() : _files.Api();
        Break(environment, mistake, refusesTls.Port);

        var (exitCode, output) = await HostProcess.RunToExitAsync(host, environment, ExitTimeout);

        Assert.NotEqual(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reported = Assert.Single(lines, l => l.Contains("Configuration error", StringComparison.Ordinal));
        Assert.StartsWith("Configuration error: ", reported, StringComparison.Ordinal);
        Assert.Contains(named, reported, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", output, StringComparison.Ordinal);
    }

    private void Break(Dictionary<string, string> environment, string mistake, int refusingPort)
    {
        var certificates = _files.Certificates;
        switch (mistake)
        {
            case "missing certificate":
                environment["ClusterTls__CertificateFile"] = "/nonexistent/tls.crt";
                break;
            case "empty certificate":
                environment["ClusterTls__CertificateFile"] = _files.Empty;
                break;
            case "key of another certificate":
                environment["ClusterTls__KeyFile"] = certificates.Rogue.KeyFile;
                break;
            case "wrong CA":
                environment["ClusterTls__CaFile"] = certificates.RogueCa;
                break;
            case "expired certificate":
                environment["ClusterTls__CertificateFile"] = certificates.Expired.CertificateFile;
                environment["ClusterTls__KeyFile"] = certificates.Expired.KeyFile;
                break;
            case "missing connection string file":
                environment.Remove("Postgres__ConnectionString");
                environment["Postgres__ConnectionStringFile"] = "/nonexistent/connection-string";
                break;
            case "missing metrics token file":
                environment["Management__MetricsTokenFile"] = "/nonexistent/metrics-token";
                break;
            case "PostgreSQL refuses TLS":
                environment["Postgres__ConnectionString"] = ConnectionString(refusingPort);
                break;
            case "no key ring":
                environment.Remove("Encryption__KeyRingFile");
                break;
            case "missing key ring file":
                environment["Encryption__KeyRingFile"] = "/nonexistent/phi-key-ring.json";
                break;
            case "no audit chain key":
                environment.Remove("Audit__ChainKeyFile");
                break;
            case "missing audit chain key file":
                environment["Audit__ChainKeyFile"] = "/nonexistent/audit-chain-keys.json";
                break;
            case "missing dashboard credentials file":
                environment["Dashboard__CredentialsFile"] = "/nonexistent/dashboard-credentials";
                break;
            case "cluster TLS reloaded too often":
                environment["ClusterTls__ReloadInterval"] = "00:00:00.100";
                break;
            case "cluster TLS timeout that is no time":
                environment["ClusterTls__HandshakeTimeout"] = "soon";
                break;
            case "pool size out of range":
                environment["Postgres__MaxPoolSize"] = "0";
                break;
            case "gateway port out of range":
                environment["Cluster__GatewayPort"] = "70000";
                break;
            case "audit events that would expire within a day":
                environment["Audit__Stream__ExpiryTimeout"] = "01:00:00";
                break;
            case "dashboard sampling too fast":
                environment["Dashboard__CounterUpdateInterval"] = "00:00:00.100";
                break;
            case "membership timeout that is no time":
                environment["Silo__Membership__ProbeTimeout"] = "soon";
                break;
            case "memory trims closer than samples":
                environment["Silo__MemoryTrim__SampleInterval"] = "00:05:00";
                environment["Silo__MemoryTrim__MinimumInterval"] = "00:01:00";
                break;
            case "scheduling retries out of range":
                environment["Scheduling__RecordRetries"] = "50";
                break;
            case "replaced no-show setting":
                environment["Scheduling__NoShowAfter"] = "00:30:00";
                break;
            case "checkpoint interval not positive":
                environment["Audit__CheckpointInterval"] = "00:00:00";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mistake), mistake, "unknown mistake");
        }
    }

    /// <summary>PostgreSQL where nothing listens (the probe then leaves the host to its own start-up), with a password that must never be printed.</summary>
    private static string ConnectionString(int port) =>
        $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Database=clinic;Username=clinic_app;Password={Password};Timeout=3";

    /// <summary>Certificates, key rings and an empty file shared by every case.</summary>
    public sealed class Files : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "clinic-startup-" + Guid.NewGuid().ToString("N")[..8]);

        public Files()
        {
            Directory.CreateDirectory(_folder);
            static string Key() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            KeyRing = Write("phi-key-ring.json", $$$"""{"activeKeyId":"k1","keys":{"k1":"{{{Key()}}}"},"indexKey":"{{{Key()}}}"}""");
            ChainKey = Write("audit-chain-keys.json", $$$"""{"activeKeyId":"c1","keys":{"c1":"{{{Key()}}}"}}""");
            Empty = Write("empty.crt", "");
        }

        public TestCertificates Certificates { get; } = new();

        public string KeyRing { get; }

        public string ChainKey { get; }

        public string Empty { get; }

        /// <summary>A production-shaped silo (AdoNet clustering, PostgreSQL storage, mTLS, VerifyFull) whose database does not answer.</summary>
        public Dictionary<string, string> Silo() => new()
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = HostProcess.Url(Ports.Free()),
            ["Silo__Clustering"] = "AdoNet",
            ["Silo__Storage"] = "Postgres",
            ["Silo__SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Silo__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Silo__AdvertisedIPAddress"] = "127.0.0.1",
            ["Postgres__ConnectionString"] = ConnectionString(Ports.Free()),
            ["Postgres__SslMode"] = "VerifyFull",
            ["Postgres__RootCertificateFile"] = Certificates.ClusterCa,
            ["Encryption__KeyRingFile"] = KeyRing,
            ["Audit__ChainKeyFile"] = ChainKey,
            ["ClusterTls__CertificateFile"] = Certificates.Silo.CertificateFile,
            ["ClusterTls__KeyFile"] = Certificates.Silo.KeyFile,
            ["ClusterTls__CaFile"] = Certificates.Silo.CaFile,
        };

        /// <summary>The API as a client of that cluster.</summary>
        public Dictionary<string, string> Api() => new()
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = HostProcess.Url(Ports.Free()),
            ["Cluster__Clustering"] = "AdoNet",
            ["Postgres__ConnectionString"] = ConnectionString(Ports.Free()),
            ["Postgres__SslMode"] = "VerifyFull",
            ["Postgres__RootCertificateFile"] = Certificates.ClusterCa,
            ["Auth__DevSigningKey"] = SecurityFixture.SigningKey,
            ["ClusterTls__CertificateFile"] = Certificates.Api.CertificateFile,
            ["ClusterTls__KeyFile"] = Certificates.Api.KeyFile,
            ["ClusterTls__CaFile"] = Certificates.Api.CaFile,
        };

        public void Dispose()
        {
            Certificates.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        private string Write(string name, string content)
        {
            var path = Path.Combine(_folder, name);
            File.WriteAllText(path, content);
            return path;
        }
    }

    /// <summary>
    /// Answers every SSLRequest with 'N', as a PostgreSQL with ssl=off or a PgBouncer without
    /// client_tls_* does; loopback only, closed on dispose.
    /// </summary>
    private sealed class ServerRefusingTls : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();

        public ServerRefusingTls()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptAsync);
        }

        public int Port { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var stream = client.GetStream();
                    var request = new byte[8];
                    await stream.ReadExactlyAsync(request, _stop.Token);
                    await stream.WriteAsync("N"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // Stopped, or a client went away mid-request.
            }
        }
    }
}
