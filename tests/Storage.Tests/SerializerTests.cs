using System.Text;
using System.Text.Json;
using ClinicCluster.Clinics;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres.GrainStorage;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Storage.Tests;

/// <summary>Every persisted state type survives the JSON round trip the storage provider makes.</summary>
public sealed class SerializerTests
{
    private static readonly SystemTextJsonGrainStorageSerializer Serializer = new();

    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.FromHours(-4));


    [Fact]
    public void Clinic_state_round_trips()
    {
        var profile = new ProviderProfile("Dr. Test", "Family medicine",
            [new WorkingHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(17, 30))],
            [new TimeOff(Start, Start.AddDays(2))]);
        var state = new ClinicState { Clinic = new Clinic("c-1", TestData.Clinic("Round Trip"), [new Provider("prv-1", profile)]) };

        var json = RoundTrip(state, out var copy);

        Assert.Equal(state.Clinic.Settings.Name, copy.Clinic?.Settings.Name);
        Assert.Equal(profile.WorkingHours, copy.Clinic?.Providers[0].Profile.WorkingHours);
        Assert.Equal(profile.TimeOff, copy.Clinic?.Providers[0].Profile.TimeOff);
        Assert.Contains("\"day\":\"monday\"", json, StringComparison.Ordinal);
        Assert.Contains("\"end\":\"17:30:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"start\":\"2026-06-01T10:00:00-04:00\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Patient_state_round_trips_with_its_demographics_as_one_ciphertext()
    {
        var patient = new ProtectedPatient("pat-1", "c-1", "phi1:k1:d3JhcHBlZA:cGF5bG9hZA", Start, Start.AddHours(1));

        var json = RoundTrip(new PatientState { Patient = patient }, out var copy);

        Assert.Equal(patient, copy.Patient);
        Assert.Contains("\"demographics\":\"phi1:k1:", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Patient_state_stored_before_versions_reads_as_version_0_which_the_grain_takes_as_1()
    {
        var stored = "{\"patient\":{\"id\":\"pat-1\",\"clinicId\":\"c-1\",\"demographics\":\"phi1:k1:a:b\","
            + "\"createdAt\":\"2026-06-01T10:00:00+00:00\",\"updatedAt\":\"2026-06-01T11:00:00+00:00\"}}";

        var state = Serializer.Deserialize<PatientState>(new BinaryData(System.Text.Encoding.UTF8.GetBytes(stored)));

        Assert.Equal(("pat-1", 0L), (state!.Patient!.Id, state.Patient.Version));
        RoundTrip(new PatientState { Patient = state.Patient with { Version = 4 } }, out var copy);
        Assert.Equal(4, copy.Patient!.Version);
    }

    [Fact]
    public void Index_states_keep_their_dictionary_keys_verbatim()
    {
        var registry = new MrnRegistryState();
        registry.Patients["0123abcd"] = new MrnRegistration("pat-1", "phi1:k1:a:b");
        var names = new NameIndexState();
        names.Patients["Pat-1"] = "phi1:k1:c:d";

        RoundTrip(registry, out var registryCopy);
        RoundTrip(names, out var namesCopy);

        Assert.Equal(registry.Patients["0123abcd"], registryCopy.Patients["0123abcd"]);
        Assert.Equal("phi1:k1:c:d", namesCopy.Patients["Pat-1"]);
    }

    [Fact]
    public void Json_null_reads_as_no_state()
    {
        Assert.Null(Serializer.Deserialize<ClinicState>(new BinaryData("null"u8.ToArray())));
    }

    [Fact]
    public void Reading_accepts_reordered_and_respaced_json_as_jsonb_returns_it()
    {
        var stored = "{\"clinic\": {\"providers\": [], \"settings\": {\"name\": \"X\", \"policy\": {\"slotIntervalMinutes\": 15, \"maximumHorizonDays\": 90, \"minimumNoticeMinutes\": 120, \"cancellationCutoffMinutes\": 1440}, \"timeZone\": \"UTC\", \"appointmentTypes\": []}, \"id\": \"c\"}}";

        var state = Serializer.Deserialize<ClinicState>(new BinaryData(Encoding.UTF8.GetBytes(stored)));

        Assert.Equal(BookingPolicy.Default, state.Clinic?.Settings.Policy);
        Assert.Equal("c", state.Clinic?.Id);
    }

    [Fact]
    public void A_clinic_stored_before_the_visit_time_rules_reads_their_defaults_and_a_new_one_keeps_its_values()
    {
        // The state as stored before issue 26: the policy has only its four booking fields.
        var stored = "{\"clinic\":{\"id\":\"c\",\"settings\":{\"name\":\"X\",\"timeZone\":\"UTC\",\"appointmentTypes\":[],"
            + "\"policy\":{\"minimumNoticeMinutes\":60,\"maximumHorizonDays\":30,\"cancellationCutoffMinutes\":0,\"slotIntervalMinutes\":5}},\"providers\":[]}}";
        var custom = BookingPolicy.Default with { CheckInOpensMinutes = 45, CheckInGraceMinutes = 0, NoShowGraceMinutes = 600 };

        var old = Serializer.Deserialize<ClinicState>(new BinaryData(Encoding.UTF8.GetBytes(stored))).Clinic!.Settings.Policy;
        RoundTrip(new ClinicState { Clinic = new Clinic("c", TestData.Clinic("New") with { Policy = custom }, []) }, out var copy);

        Assert.Equal(new BookingPolicy(60, 30, 0, 5, CheckInOpensMinutes: 120, CheckInGraceMinutes: 30, NoShowGraceMinutes: 15), old);
        Assert.Equal(custom, copy.Clinic!.Settings.Policy);
    }

    /// <summary>Serializes, deserializes, and checks the copy serializes to the same JSON.</summary>
    private static string RoundTrip<T>(T state, out T copy)
    {
        var json = Serializer.Serialize(state).ToString();
        copy = Serializer.Deserialize<T>(BinaryData.FromString(json));
        Assert.Equal(json, Serializer.Serialize(copy).ToString());
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return json;
    }
}
