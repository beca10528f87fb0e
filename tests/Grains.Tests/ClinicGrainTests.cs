using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ClinicGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Created_clinic_can_be_read_back()
    {
        var clinicId = TestClinic.NewClinicId();
        var grain = _grains.GetGrain<IClinicGrain>(clinicId);

        var created = ResultAssert.Success(await grain.CreateAsync(TestClinic.Settings()));
        var read = await grain.GetAsync();

        Assert.NotNull(read);
        foreach (var clinic in new[] { created, read })
        {
            Assert.Equal(clinicId, clinic.Id);
            Assert.Equal("Test clinic", clinic.Settings.Name);
            Assert.Equal(TestClinic.TimeZone, clinic.Settings.TimeZone);
            Assert.Equal(BookingPolicy.Default, clinic.Settings.Policy);
            var type = Assert.Single(clinic.Settings.AppointmentTypes);
            Assert.Equal(new AppointmentType(TestClinic.Checkup, 30, 10), type);
            Assert.Empty(clinic.Providers);
        }
    }

    [Fact]
    public async Task Unknown_clinic_reads_as_null()
    {
        Assert.Null(await _grains.GetGrain<IClinicGrain>(TestClinic.NewClinicId()).GetAsync());
    }

    [Fact]
    public async Task Creating_a_clinic_twice_is_a_conflict()
    {
        var grain = _grains.GetGrain<IClinicGrain>(TestClinic.NewClinicId());
        ResultAssert.Success(await grain.CreateAsync(TestClinic.Settings()));

        var again = await grain.CreateAsync(TestClinic.Settings() with { Name = "Another name" });

        ResultAssert.Failure(again, ErrorKind.Conflict, "clinic-exists");
        Assert.Equal("Test clinic", (await grain.GetAsync())!.Settings.Name);
    }

    [Fact]
    public async Task Invalid_settings_are_refused_with_the_offending_fields()
    {
        var grain = _grains.GetGrain<IClinicGrain>(TestClinic.NewClinicId());
        var settings = new ClinicSettings(
            Name: " ",
            TimeZone: "Mars/Olympus_Mons",
            AppointmentTypes: new[] { new AppointmentType("checkup", 0, 10), new AppointmentType("CHECKUP", 30) },
            Policy: BookingPolicy.Default with { SlotIntervalMinutes = 1, MaximumHorizonDays = 0 });

        var result = await grain.CreateAsync(settings);

        var error = ResultAssert.Failure(result, ErrorKind.Validation, "validation");
        Assert.NotNull(error.Fields);
        Assert.Equal(
            new[]
            {
                "appointmentTypes[0].durationMinutes",
                "appointmentTypes[1].name",
                "name",
                "policy.maximumHorizonDays",
                "policy.slotIntervalMinutes",
                "timeZone",
            },
            error.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task Clinic_without_appointment_types_is_refused()
    {
        var grain = _grains.GetGrain<IClinicGrain>(TestClinic.NewClinicId());

        var result = await grain.CreateAsync(TestClinic.Settings() with { AppointmentTypes = Array.Empty<AppointmentType>() });

        var error = ResultAssert.Failure(result, ErrorKind.Validation);
        Assert.Equal(new[] { "appointmentTypes" }, error.Fields!.Keys);
    }

    [Fact]
    public async Task Added_provider_is_part_of_the_clinic_and_of_its_scheduling_context()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var profile = TestClinic.Profile();

        var provider = ResultAssert.Success(await clinic.Grain.AddProviderAsync("dr-house", profile));
        Assert.Equal("dr-house", provider.Id);

        var context = ResultAssert.Success(await clinic.Grain.GetSchedulingContextAsync("dr-house", "CheckUp"));
        Assert.Equal(TestClinic.TimeZone, context.TimeZone);
        Assert.Equal(BookingPolicy.Default, context.Policy);
        Assert.Equal(new AppointmentType(TestClinic.Checkup, 30, 10), context.Type);
        Assert.Equal("Dr. Test", context.Provider.Name);
        Assert.Equal("Family medicine", context.Provider.Specialty);
        Assert.Equal(profile.WorkingHours, context.Provider.WorkingHours);
        Assert.Empty(context.Provider.TimeOff);

        var stored = await clinic.Grain.GetAsync();
        var listed = Assert.Single(stored!.Providers);
        Assert.Equal("dr-house", listed.Id);
        Assert.Equal(7, listed.Profile.WorkingHours.Count);
    }

    [Fact]
    public async Task Second_provider_with_the_same_id_is_a_conflict()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        ResultAssert.Success(await clinic.Grain.AddProviderAsync("dr-one", TestClinic.Profile()));
        ResultAssert.Success(await clinic.Grain.AddProviderAsync("dr-two", TestClinic.Profile()));

        var again = await clinic.Grain.AddProviderAsync("dr-one", TestClinic.Profile());

        ResultAssert.Failure(again, ErrorKind.Conflict, "provider-exists");
        Assert.Equal(new[] { "dr-one", "dr-two" }, (await clinic.Grain.GetAsync())!.Providers.Select(p => p.Id));
    }

    [Fact]
    public async Task Updated_provider_profile_is_used_by_the_scheduling_context()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var off = new TimeOff(TestClinic.Local(TestClinic.Day(7), 9), TestClinic.Local(TestClinic.Day(8), 9));

        var updated = await clinic.Grain.UpdateProviderAsync(
            providerId, TestClinic.Profile(new TimeOnly(8, 0), new TimeOnly(12, 0), off));

        ResultAssert.Success(updated);
        var context = ResultAssert.Success(await clinic.Grain.GetSchedulingContextAsync(providerId, TestClinic.Checkup));
        Assert.All(context.Provider.WorkingHours, h => Assert.Equal(new TimeOnly(8, 0), h.Start));
        Assert.Equal(off, Assert.Single(context.Provider.TimeOff));
        var stored = Assert.Single((await clinic.Grain.GetAsync())!.Providers);
        Assert.Equal(new TimeOnly(12, 0), stored.Profile.WorkingHours[0].End);
    }

    [Fact]
    public async Task Provider_with_invalid_hours_is_refused()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var profile = TestClinic.Profile() with
        {
            WorkingHours = new[]
            {
                new WorkingHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(12, 0)),
                new WorkingHours(DayOfWeek.Monday, new TimeOnly(11, 0), new TimeOnly(14, 0)),
                new WorkingHours(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(9, 0)),
            },
        };

        var result = await clinic.Grain.AddProviderAsync("dr-bad", profile);

        var error = ResultAssert.Failure(result, ErrorKind.Validation);
        Assert.Equal(new[] { "workingHours[1]", "workingHours[2].end" }, error.Fields!.Keys.Order(StringComparer.Ordinal));
        Assert.Empty((await clinic.Grain.GetAsync())!.Providers);
    }

    [Fact]
    public async Task Scheduling_context_of_an_unknown_provider_is_not_found()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        await clinic.AddProviderAsync();

        var result = await clinic.Grain.GetSchedulingContextAsync("nobody", TestClinic.Checkup);

        ResultAssert.Failure(result, ErrorKind.NotFound, "not-found");
    }

    [Fact]
    public async Task Scheduling_context_of_an_unknown_clinic_is_not_found()
    {
        var result = await _grains.GetGrain<IClinicGrain>(TestClinic.NewClinicId())
            .GetSchedulingContextAsync("anyone", TestClinic.Checkup);

        ResultAssert.Failure(result, ErrorKind.NotFound);
    }

    [Fact]
    public async Task Scheduling_context_of_an_unknown_appointment_type_is_a_validation_error()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();

        var result = await clinic.Grain.GetSchedulingContextAsync(providerId, "surgery");

        var error = ResultAssert.Failure(result, ErrorKind.Validation);
        Assert.Equal(new[] { "appointmentType" }, error.Fields!.Keys);
    }
}
