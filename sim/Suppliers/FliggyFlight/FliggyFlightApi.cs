using System.Globalization;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Operations;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Gateway;
using Sandbox.Suppliers.Top.Protocol;
using static Sandbox.Suppliers.Top.Gateway.TopParamType;

namespace Sandbox.Suppliers.FliggyFlight;

/// <summary>
/// The 15 alitrip.flight.* methods (spec §2) as the TOP gateway registers them: each needs a session; a session whose
/// user has no distribution channel gets 请求参数错误 from all of them (FAQ 1); a business failure is the method's own
/// reply with is_success=false (spec §2.1), its explanation in X-Sandbox-Diagnostic.
/// </summary>
public sealed class FliggyFlightApi(FliggyFlightServices services) : ITopApi
{
    public string Supplier => FliggyFlightServices.Supplier;

    public IReadOnlyList<TopMethod> Methods { get; } =
    [
        M(Search.Method, "京杭搜索航班询价", [TopParam.Req("search_flight_info_req", Json)], Search.Handle, services),
        M(Airbook.Method, "生单预定", [TopParam.Req("create_order_request", Json)], Airbook.Handle, services),
        M(Close.Method, "机票关单", [TopParam.Req("order_id", Integer), TopParam.Opt("close_reason", TopParamType.String, 200)], Close.Handle, services),
        M(Pay.Method, "机票支付", [TopParam.Req("order_id", Integer), TopParam.Req("total_price", Money)], Pay.Handle, services),
        M(QueryOrderList.Method, "查询订单列表", [TopParam.Req("query_order_list_request", Json)], QueryOrderList.Handle, services),
        M(QueryOrderDetail.Method, "查询订单详情", [TopParam.Opt("order_id", Integer), TopParam.Opt("out_order_no", TopParamType.String, 64)], QueryOrderDetail.Handle, services),
        M(RefundRender.Method, "退票渲染", [TopParam.Req("refund_render_request", Json)], RefundRender.Handle, services),
        M(RefundCreate.Method, "退票申请提交", [TopParam.Req("refund_create_request", Json)], RefundCreate.Handle, services),
        M(Upload.Method, "附件上传",
            [TopParam.Req("refund_order_id", Integer), TopParam.Req("file_name", TopParamType.String, 200), TopParam.Req("file", TopParamType.File)], Upload.Handle, services),
        M(RefundDetail.Method, "查询退票详情", [TopParam.Req("refund_order_id", Integer)], RefundDetail.Handle, services),
        M(RefundList.Method, "查询退票列表", [TopParam.Req("order_id", Integer)], RefundList.Handle, services),
        M(ChangeCreate.Method, "改签生单", [TopParam.Req("change_order_create_request", Json)], ChangeCreate.Handle, services),
        M(ChangeCancel.Method, "取消改签单", [TopParam.Req("change_order_id", Integer)], ChangeCancel.Handle, services),
        M(ChangePay.Method, "改签单支付", [TopParam.Req("change_order_id", Integer), TopParam.Req("pay_amount", Money)], ChangePay.Handle, services),
        M(ChangeQuery.Method, "改签单查询", [TopParam.Opt("order_id", Integer), TopParam.Opt("change_order_id", Integer)], ChangeQuery.Handle, services),
    ];

    static TopMethod M(string name, string title, TopParam[] parameters, Func<FlightCall, TopObject> handler, FliggyFlightServices services) =>
        new(name, title, TopSessionUse.Required, parameters, top =>
        {
            try
            {
                if (!top.User.ChannelAssigned) throw FlightError.ParamError("no distribution channel is assigned to the session's user (FAQ 1)");
                return ValueTask.FromResult(handler(new FlightCall(top, services)));
            }
            catch (FlightError e)
            {
                if (e.Detail is { } detail) top.Diagnose(detail);
                return ValueTask.FromResult(new TopObject().Add("is_success", false).Add("error_code_info", e.Code).Add("error_msg", e.Msg));
            }
        });

    /// <summary>
    /// Facts rules match on: for a repeated airbook, the status of the order its out_order_no already made (so a
    /// "first airbook times out" rule leaves the retry alone); for calls on an order, its out_order_no and status.
    /// </summary>
    public static readonly string[] Facts = ["out_order_no", "order_status_code"];

    public void AddFacts(OperationContext ctx, TopCall call)
    {
        var tenant = ctx.Tenant.Id;
        FlightOrder? order = null;
        if (call.Method.Name == Airbook.Method)
        {
            if (ctx.View.Values("create_order_request.out_order_no").FirstOrDefault() is { } outNo
                && services.Keys.Get(tenant, IdempotencyKey.ForOrder(outNo)) is { } key)
                order = services.Orders.Get(tenant, key.Target);
        }
        else if (call.Request["order_id"] is { } id && long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            order = services.Orders.Get(tenant, id.Trim());
        if (order is null || call.Session is not { } user || order.UserId != user.UserId) return;
        ctx.Fact(Facts[0], [order.OutOrderNo]);
        ctx.Fact(Facts[1], [OrderStatus.Code(order.Status).ToString(CultureInfo.InvariantCulture)]);
    }
}
