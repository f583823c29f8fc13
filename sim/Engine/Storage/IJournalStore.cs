namespace Sandbox.Engine.Storage;

/// <summary>
/// Where the request journal lives: appended in batches by one background loop, kept bounded, read by the admin API.
/// Separate from <see cref="IStore"/> so that its writes never queue behind orders and callbacks.
/// </summary>
public interface IJournalStore : IAsyncDisposable
{
    /// <summary>Appends rows; with <paramref name="keepNewest"/>, drops the oldest rows beyond that many.</summary>
    Task Append(IReadOnlyList<JournalRecord> rows, long? keepNewest);

    Task DeleteTenant(string tenant);

    /// <summary>Completes once everything appended before the call is readable.</summary>
    Task Flush();

    /// <summary>Newest first; every filter is optional.</summary>
    IReadOnlyList<JournalRow> Query(JournalFilter filter);
}

/// <summary>
/// Journal filters, each optional: <see cref="Error"/> selects errors (true) or successes (false) as the supplier counts
/// them; <see cref="Signature"/> is a verdict (<c>ok</c>, <c>failed</c>, <c>none</c>).
/// </summary>
public sealed record JournalFilter(
    string? Tenant = null, string? Supplier = null, string? Operation = null, string? Entity = null, bool? Error = null, string? Signature = null,
    int Limit = 100);

/// <summary>A journal row on its way in: bodies as clipped UTF-8 bytes, decoded only when read.</summary>
public sealed record JournalRecord(
    long AtMs, string? Tenant, string Supplier, string? Operation, string Method, string Path, int HttpStatus, string? ResultCode, bool Error,
    string Signature, long DurationUs, string? Entity, byte[]? Request, byte[]? Response, string? Diagnostic);

public sealed record JournalRow(
    long Id, long AtMs, string? Tenant, string Supplier, string? Operation, string Method, string Path, int HttpStatus, string? ResultCode,
    bool Error, string Signature, long DurationUs, string? Entity, string? Request, string? Response, string? Diagnostic);
