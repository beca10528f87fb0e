using System.Reflection;
using System.Runtime.CompilerServices;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using Orleans.Serialization.Invocation;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// A record's generated <c>ToString</c> prints every member, and Orleans writes a dropped or
/// expired message with its body at <c>Warning</c> (seen in a load run: a response carrying an
/// imported patient's demographics in the silo log). These tests hold the rule of
/// <see cref="PhiRedaction"/>: the messages' records and the grains' invocations print no PHI.
/// </summary>
public sealed class PhiRedactionTests
{
    private const string Sentinel = "ZZPHIZZ";

    // Members that hold PHI wherever they appear in a record of the contracts or the grains.
    private static readonly HashSet<string> PhiMembers =
        ["Mrn", "GivenName", "FamilyName", "BirthDate", "Phone", "Email", "Address", "Line1", "Reason", "CancellationReason"];

    private static readonly Assembly[] Assemblies = [typeof(Patient).Assembly, typeof(PatientGrain).Assembly];

    public static TheoryData<string> RecordsWithPhi()
    {
        var data = new TheoryData<string>();
        foreach (var type in PhiRecords())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    private static IEnumerable<Type> PhiRecords() => Assemblies.SelectMany(a => a.GetTypes()).Where(IsRecord).Where(HasPhiMember);

    [Theory]
    [MemberData(nameof(RecordsWithPhi))]
    public void A_record_with_a_PHI_member_declares_its_own_PrintMembers(string typeName)
    {
        var type = Assemblies.Select(a => a.GetType(typeName)).Single(t => t is not null)!;
        var printMembers = type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);

        Assert.NotNull(printMembers);
        Assert.Null(printMembers.GetCustomAttribute<CompilerGeneratedAttribute>());
    }

    [Fact]
    public void The_rule_finds_the_records_that_carry_patients_and_clinical_text()
    {
        var found = PhiRecords().Select(t => t.FullName!).ToHashSet();

        Assert.Superset(
            new HashSet<string> { typeof(PatientDemographics).FullName!, typeof(PatientSummary).FullName!, typeof(Appointment).FullName!, typeof(BookAppointment).FullName! },
            found);
    }

    [Fact]
    public void Records_and_Orleans_responses_that_carry_a_patient_or_an_appointment_print_no_PHI()
    {
        var demographics = new PatientDemographics("MRN-" + Sentinel, "Given" + Sentinel, "Family" + Sentinel, new DateOnly(1931, 7, 19), AdministrativeSex.Female,
            "555" + Sentinel, Sentinel + "@example.org", new PostalAddress("1 " + Sentinel, Sentinel, Sentinel, Sentinel, Sentinel, "US"));
        var patient = new Patient("pat-1", "clinic-1", demographics, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var appointment = new Appointment("apt-1", "clinic-1", "pat-1", "prov-1", "checkup", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            "Reason " + Sentinel, AppointmentStatus.Cancelled, "Cancelled " + Sentinel, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        object[] values =
        [
            demographics, patient, new ImportedPatient("pat-1", patient), new PatientSummary("pat-1", Sentinel, Sentinel, Sentinel, default),
            appointment, new BookAppointment("pat-1", "prov-1", "checkup", DateTimeOffset.UnixEpoch, Sentinel),
            new BookSeries("pat-1", "prov-1", "checkup", DateTimeOffset.UnixEpoch, "FREQ=WEEKLY;COUNT=2", Reason: Sentinel),
            new Result<Patient>(patient, null), new Result<Appointment>(appointment, null),
        ];

        foreach (var value in values)
        {
            Assert.DoesNotContain(Sentinel, value.ToString());
            Assert.DoesNotContain(Sentinel, Response.FromResult(value).ToString());
        }

        Assert.Contains("pat-1", patient.ToString());
        Assert.Contains(PhiRedaction.Marker, patient.ToString());
    }

    [Fact]
    public void A_grain_call_prints_none_of_its_arguments()
    {
        // Every generated invocation of our grain interfaces, its arguments set to the sentinel
        // where they are strings: a request named in a log line says which call, not with what.
        var invokables = Assemblies.SelectMany(a => a.GetTypes())
            .Where(t => typeof(IInvokable).IsAssignableFrom(t) && !t.IsAbstract && !t.ContainsGenericParameters && t.GetConstructor(Type.EmptyTypes) is not null)
            .ToList();
        Assert.NotEmpty(invokables);

        var withText = 0;
        foreach (var type in invokables)
        {
            var invokable = Activator.CreateInstance(type)!;
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(f => f.FieldType == typeof(string)))
            {
                field.SetValue(invokable, Sentinel);
                withText++;
            }

            Assert.DoesNotContain(Sentinel, invokable.ToString() ?? "");
        }

        Assert.True(withText > 10, $"only {withText} string arguments found: the generated invocations moved?");
    }

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic) is not null);

    private static bool HasPhiMember(Type type) =>
        type.GetProperties(BindingFlags.Instance | BindingFlags.Public).Any(p => PhiMembers.Contains(p.Name) && p.DeclaringType == type
            && (p.PropertyType == typeof(string) || p.PropertyType == typeof(DateOnly) || p.PropertyType == typeof(PostalAddress)));
}
