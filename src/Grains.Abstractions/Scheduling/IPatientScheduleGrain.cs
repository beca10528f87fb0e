namespace ClinicCluster.Scheduling;

/// <summary>A patient's appointments; keeps a patient from being in two places at once. Key: "{clinicId}/{patientId}".</summary>
public interface IPatientScheduleGrain : IScheduleGrain;
