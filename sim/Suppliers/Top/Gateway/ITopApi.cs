using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.Top.Gateway;

/// <summary>
/// What a module contributes to the TOP gateway: API methods by name, each with its session requirement, its
/// documented parameters (checked by the gateway: codes 40 and 41) and its handler. The gateway answers, signs and
/// encodes; the methods run under the contributing module's supplier name, so its scenario set (rules, magic values,
/// machines) and journal entries apply. Register one with <see cref="TopSetup.AddTopApi{T}"/>.
/// </summary>
public interface ITopApi
{
    /// <summary>The supplier module the methods belong to (<c>fliggyflight</c>, <c>top</c> for the gateway's own).</summary>
    string Supplier { get; }

    IReadOnlyList<TopMethod> Methods { get; }

    /// <summary>Values rules can match on although the request does not carry them (an order's out_order_no …).</summary>
    void AddFacts(OperationContext ctx, TopCall call)
    {
    }
}

public enum TopSessionUse
{
    None,
    Optional,
    Required,
}

public enum TopParamType
{
    String,
    /// <summary>An integer (ids, counts).</summary>
    Integer,
    /// <summary>A decimal amount in yuan.</summary>
    Money,
    Boolean,
    /// <summary>A structured parameter: one form field holding the JSON text of an object (spec §1.5).</summary>
    Json,
    /// <summary>A multipart file part.</summary>
    File,
}

/// <summary>A documented business parameter of a method.</summary>
public sealed record TopParam(string Name, TopParamType Type, bool Required = false, int MaxLength = 0)
{
    public static TopParam Req(string name, TopParamType type, int maxLength = 0) => new(name, type, true, maxLength);
    public static TopParam Opt(string name, TopParamType type, int maxLength = 0) => new(name, type, false, maxLength);
}

/// <summary>One API method: its name as clients send it in <c>method</c>, a title for the admin listing, and its handler.</summary>
public sealed record TopMethod(string Name, string Title, TopSessionUse Session, IReadOnlyList<TopParam> Params, Func<TopCall, ValueTask<TopObject>> Handler);
