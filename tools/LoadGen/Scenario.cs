using System.Globalization;

namespace ClinicCluster.LoadGen;

/// <summary>
/// What each scenario sends. Request <c>i</c> is a pure function of <c>i</c>, so bookings of the
/// book scenario never collide: provider <c>i mod P</c> at that provider's slot <c>i div P</c>,
/// with the patient paired to that provider. A 409 there is therefore a lost state, a 201 in
/// contend beyond the slot count a double booking.
/// </summary>
public sealed partial class Scenario(string name, SeededClinic clinic, ClinicClient api, string runId, int slots, LoadOptions options)
{
    // register: similar names (issue 21), so most patients share a few index partitions and prefixes.
    private static readonly string[] Families = ["Smith", "Smyth", "Smithe", "Smithson", "Schmidt", "Smitt"];
    private const int FindProviders = 20;
    private static readonly string[] Givens = ["Jo", "John", "Joan", "Jon", "Johanna", "Joe", "Jonah", "Joanna"];

    private readonly DateOnly _firstDay = clinic.FirstDay;
    private long _created;
    private long _alreadyRegistered;
    private long _invalid;
    private long _importResumes;

    private const int ImportAttempts = 5;

    // register: when each 201 arrived (Stopwatch ticks, in order of arrival), for the window rates.
    private readonly long[] _arrivals = name == "register" ? new long[Math.Min(options.MaxRequests, 2_000_000)] : [];

    /// <summary>Bookings answered 201 (book, contend, mixed).</summary>
    public long Created => Interlocked.Read(ref _created);

    public static async Task<Scenario> PrepareAsync(LoadOptions options, ClinicClient api)
    {
        var (providers, patients) = options.Scenario switch
        {
            // Every connection is its own patient, all after one provider's few slots.
            "contend" or "hold-race" => (1, Math.Max(options.Connections, options.Slots)),
            // Issue 23's $find target is stated for 20 providers over 7 days.
            "find-fhir" => (FindProviders, options.Pairs),
            _ => (options.Pairs, options.Pairs),
        };
        // availability-clinic may search a clinic another run is booking (bench-find.sh: search under booking load);
        // --clinic-file names a clinic a seed run made, measured as it grows (bench-scale.sh).
        var clinic = options.ClinicFile is { } file && options.Scenario != "seed"
            ? await SeededClinicFile.ReadAsync(file)
            : options.Scenario == "seed"
            ? await SeededClinic.CreateAsync(api, options.Scenario, options.Pairs, options.Pairs * 2)
            : options.Scenario is "register" or "search" or "import" || (options.Scenario == "availability-clinic" && options.Clinic is not null)
            ? options.Clinic is { } existing
                ? new SeededClinic(existing, TimeZoneInfo.Utc, [], [])
                : await SeededClinic.CreateAsync(api, options.Scenario, 1, 0)
            : await SeededClinic.CreateAsync(api, options.Scenario, providers, patients);
        if (options.Webhook is { } webhook)
        {
            await clinic.SubscribeAsync(api, webhook);
        }

        Console.Error.WriteLine($"clinic {clinic.Id}");
        return new Scenario(options.Scenario, clinic, api, options.RunId ?? Guid.NewGuid().ToString("N")[..8], options.Slots, options);
    }

    public async Task<int> SendAsync(long i, CancellationToken cancellationToken) => name switch
    {
        "read-patient" => await ReadPatientAsync(i, cancellationToken),
        "read-patient-fhir" => await ReadPatientFhirAsync(i, cancellationToken),
        // --start moves a run's bookings past an earlier run's in the same clinic.
        "book" => await BookAsync(i, options.Start + i, cancellationToken),
        "contend" => await ContendAsync(i, cancellationToken),
        "hold-race" => await HoldRaceAsync(i, cancellationToken),
        "availability" => await AvailabilityAsync(i, cancellationToken),
        "availability-clinic" => await ClinicAvailabilityAsync(i, cancellationToken),
        "find-fhir" => await FindFhirAsync(i, cancellationToken),
        "mixed" => await MixedAsync(i, cancellationToken),
        "register" => await RegisterAsync(i, cancellationToken),
        "import" => await ImportAsync(i, cancellationToken),
        "mrn" => await MrnAsync(i, cancellationToken),
        "provider-day" => await ProviderDayAsync(i, cancellationToken),
        "patient-appointments" => await PatientAppointmentsAsync(i, cancellationToken),
        "audit-patient" => await AuditPatientAsync(i, cancellationToken),
        "audit-window" => await AuditWindowAsync(cancellationToken),
        "disclosures" => await DisclosuresAsync(cancellationToken),
        "search" => await api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/patients?name={Uri.EscapeDataString(options.Name)}&limit=20", cancellationToken: cancellationToken),
        _ => throw new InvalidOperationException(name),
    };

    public IReadOnlyDictionary<string, object> Checks() => name switch
    {
        "contend" => new Dictionary<string, object> { ["slots"] = slots, ["created"] = Created, ["doubleBookings"] = Math.Max(0, Created - slots) },
        "hold-race" => HoldRaceChecks(),
        "book" or "mixed" => new Dictionary<string, object> { ["created"] = Created },
        "register" => RegisterChecks(),
        "import" => new Dictionary<string, object>
        {
            ["clinic"] = clinic.Id,
            ["runId"] = runId,
            ["created"] = Created,
            ["alreadyRegistered"] = Interlocked.Read(ref _alreadyRegistered),
            ["invalid"] = Interlocked.Read(ref _invalid),
            ["resumes"] = Interlocked.Read(ref _importResumes),
        },
        _ => new Dictionary<string, object>(),
    };

    private Task<int> ReadPatientAsync(long i, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/patients/{clinic.Patients[(int)(i % clinic.Patients.Count)]}", cancellationToken: cancellationToken);

    // The same read through the FHIR facade: same grain call, permission and audit, plus the FHIR mapping and serializer.
    private Task<int> ReadPatientFhirAsync(long i, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinic.Id}/Patient/{clinic.Patients[(int)(i % clinic.Patients.Count)]}",
            cancellationToken: cancellationToken, accept: "application/fhir+json");

    private async Task<int> BookAsync(long i, long bookingNumber, CancellationToken cancellationToken)
    {
        var pair = (int)(bookingNumber % clinic.Providers.Count);
        var start = clinic.SlotStart(_firstDay, bookingNumber / clinic.Providers.Count);
        return Count(await PostBookingAsync(i, clinic.Patients[pair], clinic.Providers[pair], start, cancellationToken));
    }

    private async Task<int> ContendAsync(long i, CancellationToken cancellationToken)
    {
        var start = clinic.SlotStart(_firstDay, i % slots);
        var patient = clinic.Patients[(int)(i % clinic.Patients.Count)];
        return Count(await PostBookingAsync(i, patient, clinic.Providers[0], start, cancellationToken));
    }

    private Task<int> AvailabilityAsync(long i, CancellationToken cancellationToken)
    {
        var day = _firstDay.AddDays((int)(i / clinic.Providers.Count % 7)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var provider = clinic.Providers[(int)(i % clinic.Providers.Count)];
        return api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/providers/{provider}/availability?from={day}&to={day}&type={SeededClinic.Checkup}", cancellationToken: cancellationToken);
    }

    /// <summary>The earliest 20 checkups with any provider over 14 days from one of 7 start days (issue 24).</summary>
    private Task<int> ClinicAvailabilityAsync(long i, CancellationToken cancellationToken)
    {
        var from = _firstDay.AddDays((int)(i % 7));
        var to = from.AddDays(13);
        return api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/availability?type={SeededClinic.Checkup}&limit=20"
            + $"&from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", cancellationToken: cancellationToken);
    }

    /// <summary>FHIR <c>Appointment/$find</c>: the first page of checkups with any of the 20 providers over 7 days from one of 7 start days.</summary>
    private Task<int> FindFhirAsync(long i, CancellationToken cancellationToken)
    {
        var from = _firstDay.AddDays((int)(i % 7));
        return api.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinic.Id}/Appointment/$find?start={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
            + $"&end={from.AddDays(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&visit-type={SeededClinic.Checkup}",
            cancellationToken: cancellationToken, accept: "application/fhir+json");
    }

    /// <summary>
    /// A clinic day in proportions: of every 20 requests, 12 patient reads, 4 availability looks,
    /// 3 bookings and one look at a patient's appointments.
    /// </summary>
    private Task<int> MixedAsync(long i, CancellationToken cancellationToken) => (i % 20) switch
    {
        < 12 => ReadPatientAsync(i, cancellationToken),
        < 16 => AvailabilityAsync(i, cancellationToken),
        // Bookings 3 of 20: their own dense numbering keeps them collision-free.
        < 19 => BookAsync(i, (i / 20 * 3) + (i % 20) - 16, cancellationToken),
        _ => api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/patients/{clinic.Patients[(int)(i % clinic.Patients.Count)]}/appointments", cancellationToken: cancellationToken),
    };

    private Task<int> PostBookingAsync(long i, string patient, string provider, DateTimeOffset start, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Post, $"/api/clinics/{clinic.Id}/appointments",
            new { patientId = patient, providerId = provider, appointmentType = SeededClinic.Checkup, start = ClinicClient.Time(start), reason = "load" },
            $"{runId}-{i.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    /// <summary>Synthetic patients (no real PHI): MRN from the run and the number, names from a small similar pool.</summary>
    private object Patient(long n) => new
    {
        mrn = $"{runId}-{n.ToString("D8", CultureInfo.InvariantCulture)}",
        givenName = Givens[n % Givens.Length],
        // One in a thousand has a rare name: the rare prefix the search runs ask for.
        familyName = n % 1_000 == 999 ? "Zeller" : Families[n / Givens.Length % Families.Length],
        birthDate = "1980-01-01",
        sex = "other",
    };

    /// <summary>
    /// Chunk <paramref name="i"/> of the import file: lines i*chunk+1.., numbered as in the whole file.
    /// An import the API interrupts (503, cluster or storage unavailable) is resumed as its problem
    /// says, from <c>resumeFromLine</c>, as an onboarding client would: at most
    /// <see cref="ImportAttempts"/> sends per chunk. The status counted is the last send's.
    /// </summary>
    private async Task<int> ImportAsync(long i, CancellationToken cancellationToken)
    {
        var first = (int)(options.Start + (i * options.Chunk)) + 1;
        var from = first;
        for (var attempt = 1; ; attempt++)
        {
            var lines = string.Join('\n', Enumerable.Range(from, options.Chunk - (from - first)).Select(n => System.Text.Json.JsonSerializer.Serialize(Patient(n - 1))));
            var (status, body) = await api.PostNdjsonAsync($"/api/clinics/{clinic.Id}/patients/import?firstLine={from}", lines + "\n", cancellationToken);
            var summary = status == 200 ? body : body?["summary"];
            if (summary is not null)
            {
                Interlocked.Add(ref _created, summary["created"]!.GetValue<int>());
                Interlocked.Add(ref _alreadyRegistered, summary["alreadyRegistered"]!.GetValue<int>());
                Interlocked.Add(ref _invalid, summary["invalid"]!.GetValue<int>());
            }

            if (status != 503 || attempt == ImportAttempts)
            {
                return status;
            }

            // Without a summary nothing is known to be done: the chunk again (idempotent per MRN).
            Interlocked.Increment(ref _importResumes);
            from = body?["resumeFromLine"]?.GetValue<int>() is int resume && resume > from && resume < first + options.Chunk ? resume : from;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private async Task<int> RegisterAsync(long i, CancellationToken cancellationToken)
    {
        var n = options.Start + i;
        var status = await api.SendAsync(HttpMethod.Post, $"/api/clinics/{clinic.Id}/patients", Patient(n), cancellationToken: cancellationToken);
        if (status == 201 && Interlocked.Increment(ref _created) is var k && k <= _arrivals.Length)
        {
            _arrivals[k - 1] = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        return status;
    }

    /// <summary>Registrations per second over the first and the last window (10,000, or a tenth of a smaller run).</summary>
    private Dictionary<string, object> RegisterChecks()
    {
        var done = (int)Math.Min(Created, _arrivals.Length);
        var window = Math.Min(10_000, done / 10);
        if (window < 2)
        {
            return new Dictionary<string, object> { ["clinic"] = clinic.Id, ["created"] = Created };
        }

        double Rate(int from) => (window - 1) / System.Diagnostics.Stopwatch.GetElapsedTime(_arrivals[from], _arrivals[from + window - 1]).TotalSeconds;
        var (first, last) = (Rate(0), Rate(done - window));
        return new Dictionary<string, object>
        {
            ["clinic"] = clinic.Id,
            ["created"] = Created,
            ["window"] = window,
            ["firstWindowPerSecond"] = Math.Round(first, 1),
            ["lastWindowPerSecond"] = Math.Round(last, 1),
            ["lastToFirst"] = Math.Round(last / first, 3),
        };
    }

    private int Count(int status)
    {
        if (status == 201)
        {
            Interlocked.Increment(ref _created);
        }

        return status;
    }
}
