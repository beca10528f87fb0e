namespace ClinicCluster.Common;

/// <summary>
/// The outcome of a grain command: a value, or the <see cref="Error"/> that refused it.
/// Grains return refusals instead of throwing so that expected outcomes cross the wire cheaply
/// and the API can map them to problem details without parsing exception text.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.Result`1")]
public sealed record Result<T>([property: Id(0)] T? Value, [property: Id(1)] Error? Error)
{
    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);
}
