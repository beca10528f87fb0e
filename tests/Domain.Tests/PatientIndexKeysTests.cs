using ClinicCluster.Patients;
using ClinicCluster.Security;

namespace ClinicCluster.Domain.Tests;

public sealed class PatientIndexKeysTests
{
    private static PatientIndexKeys Keys(KeyRing ring) =>
        new(new PhiProtector(new LocalKeyRingProvider(ring), ring.IndexKeys!));

    private readonly PatientIndexKeys _keys = Keys(KeyRing.Ephemeral());

    [Fact]
    public void Name_partition_key_is_a_keyed_hash_of_the_first_character_not_the_character()
    {
        var key = _keys.Name("clinic-1", "saldana");

        Assert.Equal(key, _keys.Name("clinic-1", "smith"));
        Assert.NotEqual(key, _keys.Name("clinic-1", "jones"));
        Assert.Matches("^clinic-1/name/[0-9a-f]{16}$", key);
        Assert.NotEqual(key, Keys(KeyRing.Ephemeral()).Name("clinic-1", "saldana"));
    }

    [Fact]
    public void Mrn_key_ignores_case_and_never_contains_the_mrn()
    {
        var key = _keys.Mrn("clinic-1", "ab-1");

        Assert.Equal(key, _keys.Mrn("clinic-1", "AB-1"));
        Assert.DoesNotContain("AB-1", _keys.MrnIndex("clinic-1", "AB-1"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(_keys.MrnIndex("clinic-1", "ab-1"), _keys.MrnIndex("clinic-1", "AB-1"));
        Assert.NotEqual(_keys.MrnIndex("clinic-1", "AB-1"), _keys.MrnIndex("clinic-2", "AB-1"));
    }

    [Fact]
    public void Mrn_keys_stay_within_the_32_partitions_and_use_every_one()
    {
        var partitions = new HashSet<int>();
        for (var i = 0; i < 2_000; i++)
        {
            var key = _keys.Mrn("clinic-1", $"MRN-{i:D6}");
            Assert.StartsWith("clinic-1/mrn/", key, StringComparison.Ordinal);
            var partition = int.Parse(key["clinic-1/mrn/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(partition, 0, PatientIndexKeys.MrnPartitions - 1);
            partitions.Add(partition);
        }

        Assert.Equal(PatientIndexKeys.MrnPartitions, partitions.Count);
    }
}
