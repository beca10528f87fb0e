using System.Net;
using ClinicCluster.Api.Auth;
using ClinicCluster.Fhir.Patients;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// The client flow with an unchanged Firely <c>FhirClient</c> (VerifyFhirVersion, JSON),
/// every response validated against R4: metadata, a patient by MRN, <c>$find</c>, <c>$book</c>,
/// read with its ETag, a versioned update to checked-in, a stale update refused (412), and a search paged to its end;
/// and the scheduling-app flow: a practitioner's Schedule, its free Slots, one booked with <c>$book</c>, the Slot then busy.
/// </summary>
[Collection(FhirCollection.Name)]
public sealed class FhirClientFlowTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task A_FhirClient_finds_books_reads_checks_in_and_pages_through_the_patients_appointments()
    {
        var (clinicId, _) = await fixture.VisitClinicAsync(providers: 2);
        var mrn = NativeSetup.NewMrn();
        await fixture.PatientAsync(clinicId, mrn);
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.FrontDesk, clinicId));

        var capabilities = await client.CapabilityStatementAsync();
        Assert.Contains(capabilities!.Rest[0].Resource.Single(r => r.Type == "Appointment").Operation, o => o.Name == "book");

        var found = await client.SearchAsync<Patient>([$"identifier={PatientMapper.MrnSystem}|{mrn}"]);
        var patient = (Patient)Assert.Single(found!.Entry).Resource!;

        var find = new Parameters();
        find.Add("start", new FhirDateTime(DateTimeOffset.UtcNow.AddMinutes(30)));
        find.Add("end", new Date(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        find.Add("visit-type", new Coding(Appointments.AppointmentMapper.AppointmentTypeSystem, "checkup"));
        find.Add("patient", new ResourceReference("Patient/" + patient.Id));
        find.Add("_count", new Integer(50));
        var proposals = (Bundle)(await client.TypeOperationAsync<Appointment>("find", find))!;
        // Three proposals a patient can take one after the other (two providers propose the same times).
        var chosen = new List<Appointment>();
        foreach (var candidate in proposals.Entry.Select(e => (Appointment)e.Resource!))
        {
            if (chosen.Count < 3 && (chosen.Count == 0 || candidate.Start >= chosen[^1].End!.Value.AddMinutes(15)))
            {
                chosen.Add(candidate);
            }
        }

        Assert.Equal(3, chosen.Count);
        var proposal = chosen[0];
        proposal.Status = Appointment.AppointmentStatus.Booked;
        var book = new Parameters();
        book.Add("appointment-resource", proposal);
        var booked = (Appointment)(await client.TypeOperationAsync<Appointment>("book", book))!;
        Assert.Equal("1", booked.Meta!.VersionId);

        var read = (await client.ReadAsync<Appointment>($"Appointment/{booked.Id}"))!;
        Assert.Equal("W/\"1\"", client.LastResult!.Etag);
        read.Status = Appointment.AppointmentStatus.Arrived;
        var arrived = (await client.UpdateAsync(read, versionAware: true))!;
        Assert.Equal((Appointment.AppointmentStatus.Arrived, "2"), (arrived.Status, arrived.Meta!.VersionId));

        var stale = await Assert.ThrowsAsync<FhirOperationException>(() => client.UpdateAsync(read, versionAware: true));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);

        // A second and a third booking, then the patient's appointments one per page to the end.
        foreach (var more in chosen.Skip(1))
        {
            more.Status = Appointment.AppointmentStatus.Booked;
            await client.CreateAsync(more);
        }

        var ids = new List<string>();
        var page = await client.SearchAsync<Appointment>([$"patient=Patient/{patient.Id}", "_count=1"]);
        for (var i = 0; page is not null && i < 10; i++, page = await client.ContinueAsync(page))
        {
            ids.AddRange(page.Entry.Select(e => e.Resource!.Id!));
        }

        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(3, ids.Count);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_FhirClient_books_a_free_slot_of_a_practitioners_schedule()
    {
        var (clinicId, _) = await fixture.VisitClinicAsync(providers: 2);
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.FrontDesk, clinicId));

        var practitioner = (Practitioner)(await client.SearchAsync<Practitioner>(["name=visit", "_count=1"]))!.Entry[0].Resource!;
        var schedule = (Schedule)Assert.Single((await client.SearchAsync<Schedule>([$"actor=Practitioner/{practitioner.Id}"]))!.Entry).Resource!;
        var from = DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var slots = await client.SearchAsync<Slot>([$"schedule=Schedule/{schedule.Id}", $"start=ge{from}", "status=free", "_count=5"]);
        var slot = (Slot)slots!.Entry[0].Resource!;
        Assert.Equal(Slot.SlotStatus.Free, slot.Status);

        var appointment = new Appointment
        {
            Status = Appointment.AppointmentStatus.Booked,
            AppointmentType = slot.AppointmentType,
            Start = slot.Start,
            End = slot.End,
            Participant =
            [
                new Appointment.ParticipantComponent { Actor = new ResourceReference("Patient/" + patientId), Status = ParticipationStatus.Accepted },
                new Appointment.ParticipantComponent { Actor = schedule.Actor[0], Status = ParticipationStatus.Accepted },
            ],
        };
        var book = new Parameters();
        book.Add("appointment-resource", appointment);
        var booked = (Appointment)(await client.TypeOperationAsync<Appointment>("book", book))!;

        Assert.Equal((slot.Start, "Practitioner/" + practitioner.Id), (booked.Start, booked.Participant.Single(p => p.Actor!.Reference!.StartsWith("Practitioner/", StringComparison.Ordinal)).Actor!.Reference));
        var after = (await client.ReadAsync<Slot>($"Slot/{slot.Id}"))!;
        Assert.Equal(Slot.SlotStatus.Busy, after.Status);
    }
}
