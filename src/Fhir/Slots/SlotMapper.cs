using ClinicCluster.Fhir.Appointments;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Slots;

/// <summary>A computed slot as an R4 <c>Slot</c> of the provider's Schedule, times with the clinic's offset.</summary>
public static class SlotMapper
{
    public static Slot ToFhir(string providerId, string appointmentType, SlotEntry entry, TimeZoneInfo zone) => new()
    {
        Id = SlotId.Of(providerId, appointmentType, entry.Start),
        Schedule = new ResourceReference("Schedule/" + providerId),
        Status = entry.Busy ? Slot.SlotStatus.Busy : Slot.SlotStatus.Free,
        Start = TimeZoneInfo.ConvertTime(entry.Start, zone),
        End = TimeZoneInfo.ConvertTime(entry.End, zone),
        AppointmentType = new CodeableConcept(AppointmentMapper.AppointmentTypeSystem, appointmentType),
    };
}
