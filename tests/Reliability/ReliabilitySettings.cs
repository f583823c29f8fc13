using System.Globalization;

namespace Sandbox.Tests.Reliability;

/// <summary>
/// How much of the reliability suite runs: CI runs a small seeded sample, the long run (loadtests/reliability/run.sh)
/// the same code with SANDBOX_RELIABILITY_N ≥ 10,000 per supplier. A failure names its seed and input index, and
/// SANDBOX_RELIABILITY_SEED replays it.
/// </summary>
public static class ReliabilitySettings
{
    public const int CiInputsPerSupplier = 300;

    public static int InputsPerSupplier => Int("SANDBOX_RELIABILITY_N") ?? CiInputsPerSupplier;

    /// <summary>Hostile TMC WebSocket connections per run: few in CI (each may wait for a close), SANDBOX_RELIABILITY_TMC_N for more.</summary>
    public const int CiTmcConnections = 120;

    public static int TmcConnections => Int("SANDBOX_RELIABILITY_TMC_N") ?? CiTmcConnections;

    public static int Seed => Int("SANDBOX_RELIABILITY_SEED") ?? 20261204;

    /// <summary>Where the long run collects its figures (one JSON line per supplier); unset in CI.</summary>
    public static string? ReportPath => Environment.GetEnvironmentVariable("SANDBOX_RELIABILITY_REPORT") is { Length: > 0 } p ? p : null;

    static int? Int(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
