namespace Sandbox.Engine.Pipeline;

/// <summary>
/// Values as a signature diagnostic shows them: secrets masked, and everything a client sent clipped, so that a
/// 100 KB key makes a diagnostic of a few lines.
/// </summary>
public static class Diagnostic
{
    const int MaxMasked = 32;
    const int MaxValue = 64;

    /// <summary>The first 4 characters, then stars; a value over 32 characters is cut there and its length given.</summary>
    public static string Mask(string secret) =>
        secret.Length <= 4 ? "****"
        : secret.Length <= MaxMasked ? secret[..4] + new string('*', secret.Length - 4)
        : secret[..4] + new string('*', MaxMasked - 4) + $"...({secret.Length} chars)";

    /// <summary>A value as sent, cut after 64 characters with its length given.</summary>
    public static string Clip(string? value) =>
        value is null ? "(none)" : value.Length <= MaxValue ? value : value[..MaxValue] + $"...({value.Length} chars)";
}
