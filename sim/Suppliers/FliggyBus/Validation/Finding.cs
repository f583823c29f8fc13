namespace Sandbox.Suppliers.FliggyBus.Validation;

public enum Severity
{
    /// <summary>Fliggy could not use the reply as it is (missing field, wrong type, impossible value).</summary>
    Error,
    /// <summary>Fliggy copes (a numeric string where a number is due, a fee that differs from the line's rule) but the merchant should fix it.</summary>
    Warning,
}

/// <summary>One defect of a merchant reply: where (JSON path), what (a stable code) and why (a sentence for the operator).</summary>
public sealed record Finding(Severity Severity, string Path, string Code, string Reason)
{
    public static Finding Error(string path, string code, string reason) => new(Severity.Error, path, code, reason);
    public static Finding Warning(string path, string code, string reason) => new(Severity.Warning, path, code, reason);

    public override string ToString() => $"{(Severity == Severity.Error ? "error" : "warning")} {Path}: {Reason} [{Code}]";
}

/// <summary>The finding codes, one per kind of defect.</summary>
public static class FindingCodes
{
    public const string Missing = "missing";
    public const string Type = "type";
    public const string Enum = "enum";
    public const string Format = "format";
    public const string Range = "range";
    public const string Echo = "echo";
    public const string Unique = "unique";
    public const string ScheduleId = "schedule-id";
    public const string Station = "station";
    public const string SegmentPrice = "segment-price";
    public const string Geofence = "geofence";
    public const string RefundRule = "refund-rule";
    public const string RefundFee = "refund-fee";
    public const string Consistency = "consistency";
}
