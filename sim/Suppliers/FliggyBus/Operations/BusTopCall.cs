using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.FliggyBus.Flow;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.Top.Gateway;
using Sandbox.Suppliers.Top.Protocol;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Operations;

/// <summary>A business failure of a taobao.bus.* method (spec §5): <c>is_success=false</c> with its result code, and why in <c>X-Sandbox-Diagnostic</c>.</summary>
public sealed class BusTopError(string code, string msg, string detail) : Exception(detail)
{
    public string Code { get; } = code;
    public string Msg { get; } = msg;
    public string Detail { get; } = detail;

    public static BusTopError OrderNotFound(string detail) => new("ORDER_NOT_FOUND", "订单不存在", detail);
    public static BusTopError OrderStatus(string detail) => new("ORDER_STATUS_ERROR", "订单状态不允许该操作", detail);
    public static BusTopError Param(string detail) => new("PARAM_ERROR", "参数错误", detail);
    public static BusTopError AmountExceed(string detail) => new("AMOUNT_EXCEED", "退款金额超过可退金额", detail);
    public static BusTopError SysError(string detail) => new("SYS_ERROR", "系统异常", detail);
}

/// <summary>
/// One taobao.bus.* call as its operation sees it: the merchant tenant, its one structured parameter (the request
/// object's JSON, snake_case) read leniently as Java and Go clients write it, and the order it names.
/// </summary>
public sealed class BusTopCall(TopCall top, FliggyBusServices services, string parameter) : OperationCall(top.Ctx)
{
    public TopCall Top { get; } = top;
    public FliggyBusServices S { get; } = services;
    public JsonObject Request { get; } = JsonObject.Create(top.Json(parameter)!.Value)!;
    public string Parameter { get; } = parameter;

    /// <summary>The tenant's configuration; a merchant without Qimen access configured cannot be served.</summary>
    public BusTenant Bus
    {
        get
        {
            var resolved = S.Resolve(Tenant);
            return resolved.Value
                   ?? throw BusTopError.SysError($"tenant {Tenant.Id} has no complete Fliggy bus configuration: {string.Join("; ", resolved.Errors)}");
        }
    }

    public string? Str(string field) => JsonRead.Str(Request, field) is { Length: > 0 } v ? v.Trim() : null;

    public string Required(string field) => Str(field) ?? throw BusTopError.Param($"{Parameter}.{field} is required");

    /// <summary>A number field (clients send numbers, some send digit strings); null when absent.</summary>
    public long? Long(string field)
    {
        if (Str(field) is not { } text) return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw BusTopError.Param($"{Parameter}.{field} '{text}' is not a whole number");
    }

    /// <summary>
    /// A boolean; absent is false — the Go SDK leaves <c>false</c> out of the JSON (<c>omitempty</c>), so a merchant
    /// reporting a failure that way sends no field at all.
    /// </summary>
    public bool Flag(string field) => Request[field] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
        var other => throw BusTopError.Param($"{Parameter}.{field} is true or false, not {other.ToJsonString()}"),
    };

    public IEnumerable<JsonObject> List(string field) => Objects(Request, field);

    /// <summary>The order, found by Fliggy's id when given, else by the merchant's; the merchant's id must be the order's.</summary>
    public BusOrder Order(string? fliggyOrderId, string agentOrderId)
    {
        var order = fliggyOrderId is not null ? S.Orders.Get(Tenant.Id, fliggyOrderId) : S.OrderByAgentId(Tenant.Id, agentOrderId);
        if (order is null)
            throw BusTopError.OrderNotFound(fliggyOrderId is not null
                ? $"tenant {Tenant.Id} has no Fliggy order {fliggyOrderId}"
                : $"tenant {Tenant.Id} has no order whose agentOrderId is {agentOrderId}");
        if (order.AgentOrderId != agentOrderId)
            throw BusTopError.OrderNotFound($"Fliggy order {order.Id} is the merchant's order {order.AgentOrderId ?? "(none yet)"}, not {agentOrderId}");
        Ctx.EntityKey = FliggyBusServices.OrderKey(order.Id);
        return order;
    }

    /// <summary>The ticket a refund names: by the merchant's ticket id, else by the passenger's certificate number.</summary>
    public static BusTicket? Ticket(BusOrder order, string? agentTicketId, string? certificateNo) =>
        agentTicketId is not null ? order.Tickets.FirstOrDefault(t => t.TicketId == agentTicketId)
        : certificateNo is not null ? order.Tickets.FirstOrDefault(t => t.PassengerCertificateNo == certificateNo)
        : null;

    public BusStep Offer(BusOrder order, BusEvent evt, string because) =>
        OrderEvents.Offer(S, Bus, order, evt, Uow, because);

    public static TopObject Ok() => new TopObject().Add("is_success", true).Add("result_code", "0").Add("result_msg", "成功");
}
