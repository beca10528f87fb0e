namespace ClinicCluster.Common;

/// <summary>The class of a refused command; the API maps each to one HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The input broke a rule that the caller can fix (400).</summary>
    Validation = 0,

    /// <summary>A referenced entity does not exist (404).</summary>
    NotFound = 1,

    /// <summary>The command collides with existing state, such as a taken slot (409).</summary>
    Conflict = 2,

    /// <summary>The entity's status does not allow the command (409).</summary>
    InvalidTransition = 3,

    /// <summary>An idempotency key was reused with another request body (422).</summary>
    IdempotencyMismatch = 4,
}
