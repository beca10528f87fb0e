namespace ClinicCluster.Scheduling;

/// <summary>Why a provider cannot take a visit at a given time.</summary>
public enum SlotRefusal
{
    OutsideWorkingHours,
    TimeOff,
    ProviderBusy,
}
