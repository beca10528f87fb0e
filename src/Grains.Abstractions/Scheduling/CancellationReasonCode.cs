using System.Text.Json.Serialization;

namespace ClinicCluster.Scheduling;

/// <summary>
/// Why a visit was cancelled, from a fixed list (required once the patient is checked in). Each
/// code maps to one code of FHIR R4's <c>appointment-cancellation-reason</c> code system
/// (<see cref="CancellationReasonCodes.Fhir"/>); the list is ours, so its names say what the front
/// desk saw, and several of ours may share a FHIR code.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CancellationReasonCode>))]
public enum CancellationReasonCode
{
    [JsonStringEnumMemberName("patient-left")] PatientLeft = 0,
    [JsonStringEnumMemberName("patient-request")] PatientRequest = 1,
    [JsonStringEnumMemberName("clinician-unavailable")] ClinicianUnavailable = 2,
    [JsonStringEnumMemberName("equipment-unavailable")] EquipmentUnavailable = 3,
    [JsonStringEnumMemberName("interpreter-unavailable")] InterpreterUnavailable = 4,
    [JsonStringEnumMemberName("entered-in-error")] EnteredInError = 5,
    [JsonStringEnumMemberName("other")] Other = 6,
}

/// <summary>The names of <see cref="CancellationReasonCode"/> as clients and the ledger write them, and their FHIR codes.</summary>
public static class CancellationReasonCodes
{
    /// <summary>The FHIR R4 code system the codes map to.</summary>
    public const string FhirSystem = "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason";

    private static readonly Dictionary<CancellationReasonCode, (string Name, string Fhir)> Codes = new()
    {
        [CancellationReasonCode.PatientLeft] = ("patient-left", "pat"),
        [CancellationReasonCode.PatientRequest] = ("patient-request", "pat"),
        [CancellationReasonCode.ClinicianUnavailable] = ("clinician-unavailable", "prov"),
        [CancellationReasonCode.EquipmentUnavailable] = ("equipment-unavailable", "maint"),
        [CancellationReasonCode.InterpreterUnavailable] = ("interpreter-unavailable", "oth-int"),
        [CancellationReasonCode.EnteredInError] = ("entered-in-error", "oth-err"),
        [CancellationReasonCode.Other] = ("other", "other"),
    };

    /// <summary>Every code, in the order of the list.</summary>
    public static IReadOnlyList<CancellationReasonCode> All { get; } = Enum.GetValues<CancellationReasonCode>();

    /// <summary>The client-facing name (<c>patient-left</c>).</summary>
    public static string Name(CancellationReasonCode code) => Codes[code].Name;

    /// <summary>The FHIR <c>appointment-cancellation-reason</c> code (<c>pat</c>).</summary>
    public static string Fhir(CancellationReasonCode code) => Codes[code].Fhir;

    public static bool IsDefined(CancellationReasonCode code) => Codes.ContainsKey(code);

    /// <summary>The code named <paramref name="name"/>, or null.</summary>
    public static CancellationReasonCode? Parse(string? name) =>
        Codes.FirstOrDefault(c => c.Value.Name == name) is { Value.Name: not null } match ? match.Key : null;
}
