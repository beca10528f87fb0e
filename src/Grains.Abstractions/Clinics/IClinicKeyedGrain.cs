namespace ClinicCluster.Clinics;

/// <summary>
/// Marks a grain whose key is the clinic id itself, not "{clinicId}/{id}" (<c>ClinicScopedKey</c>):
/// the clinic, and the per-clinic grains beside it. The silo's span filter tags their calls with
/// the clinic from the whole key.
/// </summary>
public interface IClinicKeyedGrain : IGrainWithStringKey;
