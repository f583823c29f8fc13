using Microsoft.AspNetCore.Http;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine.Pipeline;

/// <summary>A decoded supplier request: which operation, which credential, and a view of its fields for rules.</summary>
public sealed class SupplierCall
{
    public required string Operation { get; init; }
    public string? Credential { get; init; }
    public required IRequestView View { get; init; }
    /// <summary>The request as text for the journal (a query string, a decoded form) …</summary>
    public string? JournalText { get; init; }
    /// <summary>… or the raw UTF-8 body, decoded only by the journal's background writer.</summary>
    public byte[]? JournalBody { get; init; }
    /// <summary>The module's own parsed form of the request.</summary>
    public object? Parsed { get; init; }

    /// <summary>A call no request carried: admin-initiated work names its operation and has no fields.</summary>
    public static SupplierCall Named(string operation) => new() { Operation = operation, View = NoFields.Instance };

    sealed class NoFields : IRequestView
    {
        public static readonly NoFields Instance = new();

        public IEnumerable<string> Values(string path) => [];
    }
}

/// <summary>A reply already encoded in the supplier's wire format.</summary>
public sealed class SupplierReply
{
    public int HttpStatus { get; init; } = 200;
    public required string ContentType { get; init; }
    public required byte[] Body { get; init; }
    /// <summary>The supplier's result code (status, retcode, code …) for the journal and counters.</summary>
    public string? ResultCode { get; init; }
    /// <summary>Text for the journal when the body is not UTF-8 (GBK replies) or is compressed.</summary>
    public string? JournalText { get; init; }
    /// <summary>The body's <c>Content-Encoding</c> (gzip when the client asked for it), or null.</summary>
    public string? ContentEncoding { get; init; }

    public SupplierReply WithHttpStatus(int status) =>
        new() { HttpStatus = status, ContentType = ContentType, Body = Body, ResultCode = ResultCode, JournalText = JournalText, ContentEncoding = ContentEncoding };
}

/// <summary>Outcome of decoding: a call to process, or a reply to send at once (malformed request, unknown action …).</summary>
public readonly record struct Decoded(SupplierCall? Call, SupplierReply? Reply)
{
    public static Decoded Of(SupplierCall call) => new(call, null);
    public static Decoded Fail(SupplierReply reply) => new(null, reply);
}

/// <summary>Outcome of checking the supplier's signature or password.</summary>
public readonly record struct Verification(bool Ok, bool Checked, SupplierReply? Reply, string? Diagnostic)
{
    public static readonly Verification Verified = new(true, true, null, null);
    public static readonly Verification NotRequired = new(true, false, null, null);
    public static Verification Failed(SupplierReply reply, string diagnostic) => new(false, true, reply, diagnostic);
}

/// <summary>Everything an operation handler needs for one request.</summary>
public sealed class OperationContext
{
    public required HttpContext Http { get; init; }
    public required Tenant Tenant { get; init; }
    public required string Supplier { get; init; }
    public required SupplierCall Call { get; init; }
    public required Scenario Scenario { get; init; }
    public required UnitOfWork Uow { get; init; }
    /// <summary>The tenant's virtual time when the request arrived.</summary>
    public required DateTimeOffset Now { get; init; }
    public long NowMs => Now.ToUnixTimeMilliseconds();
    public string Operation => Call.Operation;
    public IRequestView View => Call.View;
    /// <summary>Values a module derives from state (a session's passengers, an order's route) so that rules can match on them.</summary>
    public IReadOnlyDictionary<string, List<string>> Facts => _facts ?? NoFacts;
    Dictionary<string, List<string>>? _facts;
    static readonly Dictionary<string, List<string>> NoFacts = new();
    public RuleOutcome Rules { get; set; } = RuleOutcome.None;
    /// <summary>The entity the request touched, for the journal and the entity's timeline.</summary>
    public string? EntityKey { get; set; }

    public bool Has(string tag) => Rules.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase);

    public void Fact(string name, IEnumerable<string> values)
    {
        _facts ??= new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (!_facts.TryGetValue(name, out var list)) _facts[name] = list = [];
        list.AddRange(values);
    }
}

/// <summary>
/// The base of a module's own view of one operation (its parsed request, its settings): the members every supplier
/// needs come from the engine's context.
/// </summary>
public abstract class OperationCall(OperationContext ctx)
{
    public OperationContext Ctx { get; } = ctx;
    public Tenant Tenant => Ctx.Tenant;
    public Scenario Scenario => Ctx.Scenario;
    public UnitOfWork Uow => Ctx.Uow;
    public DateTimeOffset Now => Ctx.Now;
    public long NowMs => Ctx.NowMs;
}
