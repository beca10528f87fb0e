using ClinicCluster.Scheduling;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// FHIR <c>appointment-cancellation-reason</c> codes back to ours. Several of ours share a FHIR
/// code (<c>pat</c>); the first in our list that maps to it is recorded, so a FHIR client's
/// cancellation is counted under the broadest of them.
/// </summary>
public static class CancellationCodes
{
    public static CancellationReasonCode? FromFhir(string? code)
    {
        if (code == "pat")
        {
            return CancellationReasonCode.PatientRequest;
        }

        foreach (var native in CancellationReasonCodes.All)
        {
            if (CancellationReasonCodes.Fhir(native) == code)
            {
                return native;
            }
        }

        return null;
    }
}
