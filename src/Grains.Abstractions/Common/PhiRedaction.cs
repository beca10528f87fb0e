namespace ClinicCluster.Common;

/// <summary>
/// What a record that carries PHI prints instead of it. Records print their members from the
/// generated <c>ToString</c>, and that string reaches logs without anyone choosing to log it:
/// Orleans writes a dropped or expired message with its body at <c>Warning</c>, and an exception
/// message may format an argument. So each such record declares its own <c>PrintMembers</c>
/// (ids and codes, never names, contact details, dates of birth or clinical text);
/// <c>PhiRedactionTests</c> holds every record of the contracts and grains to that rule.
/// </summary>
public static class PhiRedaction
{
    public const string Marker = "(PHI redacted)";
}
