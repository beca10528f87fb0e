namespace ClinicCluster.ServiceDefaults.Commands;

/// <summary>
/// Checks the tokens no command declared against what <c>AddCommandLine</c> reads as configuration:
/// <c>--Key=value</c>, <c>--Key value</c> (or <c>/Key</c>). A command takes only setting paths
/// (<c>--Section:Key</c>), so a mistyped option of its own (<c>--bach-size</c>) is a usage error, not a
/// silently ignored setting; the hosts take any key (<c>--urls</c>, <c>--environment</c>).
/// </summary>
internal static class ConfigurationArguments
{
    public static IEnumerable<string> Problems(IReadOnlyList<string> tokens, bool isHost)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var key = token.StartsWith("--", StringComparison.Ordinal) ? token[2..]
                : token.StartsWith('/') ? token[1..]
                : null;
            if (key is null)
            {
                yield return $"Unrecognized command or argument '{token}'.";
                continue;
            }

            var equals = key.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? key : key[..equals];
            if (!isHost && !name.Contains(':', StringComparison.Ordinal))
            {
                yield return $"Unrecognized option '{token}'.";
            }
            else if (equals < 0 && ++i >= tokens.Count)
            {
                yield return $"Setting '{token}' has no value.";
            }
        }
    }
}
