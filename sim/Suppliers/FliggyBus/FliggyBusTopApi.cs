using Sandbox.Suppliers.FliggyBus.Operations;
using Sandbox.Suppliers.Top.Gateway;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyBus;

/// <summary>
/// The four taobao.bus.* methods the merchant calls back on the TOP gateway (spec §5), signed with its own TOP app
/// (<c>credentials.top</c>); no session, the merchant is its app key. Each takes one structured parameter. A business
/// failure is the method's reply with <c>is_success=false</c> and its <c>result_code</c>/<c>result_msg</c>, explained in
/// <c>X-Sandbox-Diagnostic</c>.
/// </summary>
public sealed class FliggyBusTopApi(FliggyBusServices services) : ITopApi
{
    public string Supplier => FliggyBusServices.Supplier;

    public IReadOnlyList<TopMethod> Methods { get; } =
    [
        M(BookTicketConfirm.Method, "汽车票代理商接口—确认出票是否成功", BookTicketConfirm.Parameter, BookTicketConfirm.Handle, services),
        M(RefundConfirm.Method, "汽车票退票和退款二合一接口", RefundConfirm.Parameter, RefundConfirm.Handle, services),
        M(MultipleRefundConfirm.Method, "综合交通多次退款接口", MultipleRefundConfirm.Parameter, MultipleRefundConfirm.Handle, services),
        M(ItemNotify.Method, "车次变更通知飞猪接口", ItemNotify.Parameter, ItemNotify.Handle, services),
    ];

    static TopMethod M(string name, string title, string parameter, Func<BusTopCall, TopObject> handler, FliggyBusServices services) =>
        new(name, title, TopSessionUse.None, [TopParam.Req(parameter, TopParamType.Json)], top =>
        {
            try
            {
                return ValueTask.FromResult(handler(new BusTopCall(top, services, parameter)));
            }
            catch (BusTopError e)
            {
                top.Diagnose(e.Detail);
                return ValueTask.FromResult(new TopObject().Add("is_success", false).Add("result_code", e.Code).Add("result_msg", e.Msg));
            }
        });
}
