using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;

namespace Sandbox.Suppliers.FliggyBus.Conformance;

public enum CheckStatus
{
    Pass,
    Fail,
    /// <summary>Could not run: an earlier check it depends on failed (said in the reason).</summary>
    Skip,
}

/// <summary>One conformance check: its stable name, verdict, reason, the reply's findings and the call to reproduce it.</summary>
public sealed record CheckResult(string Name, CheckStatus Status, string Reason, QimenCall? Call = null, IReadOnlyList<Finding>? Findings = null)
{
    public IReadOnlyList<Finding> AllFindings => Findings ?? Call?.Findings ?? [];
    public string? Curl => Call is null ? null : QimenCurl.For(Call);

    /// <summary>One line: verdict, name, reason (with the findings' count), latency, and the curl that reproduces the request.</summary>
    public string Line()
    {
        var verdict = Status switch { CheckStatus.Pass => "PASS", CheckStatus.Fail => "FAIL", _ => "SKIP" };
        // The finding a failure's reason already quotes is not repeated.
        var others = AllFindings.Where(f => !Reason.Contains(f.Reason, StringComparison.Ordinal)).ToList();
        var findings = others.Count == 0 ? "" : $" [{string.Join("; ", others.Select(f => f.ToString()))}]";
        var latency = Call is null ? "" : $" ({Call.LatencyMs} ms)";
        var curl = Curl is { } c ? " | " + c : "";
        return $"{verdict} {Name}: {Reason}{findings}{latency}{curl}";
    }
}

/// <summary>All checks of one run, in the order they ran.</summary>
public sealed record ConformanceReport(string Url, DateTimeOffset StartedAt, TimeSpan Duration, IReadOnlyList<CheckResult> Checks)
{
    public int Passed => Checks.Count(c => c.Status == CheckStatus.Pass);
    public int Failed => Checks.Count(c => c.Status == CheckStatus.Fail);
    public int Skipped => Checks.Count(c => c.Status == CheckStatus.Skip);
    /// <summary>A skipped check counts against the operator: it could not show it conforms.</summary>
    public bool Conforms => Failed == 0 && Skipped == 0;
}
