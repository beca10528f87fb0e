namespace ClinicCluster.Silo.Memory;

/// <summary>Why <see cref="MemoryTrimRule"/> asks for a trim, or <see cref="None"/>.</summary>
public enum MemoryTrimReason
{
    None,

    /// <summary>Many grains deactivated since the last trim: their memory is garbage no collection has seen.</summary>
    Deactivations,

    /// <summary>The GC keeps much more committed than its last collection found in use.</summary>
    UnusedCommitted,
}
