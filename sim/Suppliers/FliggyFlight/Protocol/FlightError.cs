namespace Sandbox.Suppliers.FliggyFlight.Protocol;

/// <summary>
/// A business failure of an alitrip.flight API (spec §2.1): answered as the method's ordinary reply with
/// <c>is_success=false</c>, <c>error_code_info</c> and <c>error_msg</c> from the catalogue. <see cref="Detail"/> is the
/// sandbox's own explanation, sent in <c>X-Sandbox-Diagnostic</c> only.
/// </summary>
public sealed class FlightError(string code, string msg, string? detail = null) : Exception(msg)
{
    public string Code { get; } = code;
    public string Msg { get; } = msg;
    public string? Detail { get; } = detail;

    public static FlightError SystemError(string? detail = null) => new("isv.SYSTEM_ERROR", "系统错误", detail);
    public static FlightError ParamError(string? detail = null) => new("isv.PARAM_ERROR", "请求参数错误", detail);
    public static FlightError NoPrice(string? detail = null) => new("isv.NO_PRICE", "搜索询价无报价", detail);
    public static FlightError PriceChanged(string? detail = null) => new("isv.PRICE_CHANGED", "价格发生变化，请重新询价", detail);
    public static FlightError ItemExpired(string? detail = null) => new("isv.ITEM_EXPIRED", "报价已失效，请重新询价", detail);
    public static FlightError SeatNotEnough(string? detail = null) => new("isv.SEAT_NOT_ENOUGH", "舱位座位不足", detail);
    public static FlightError MemberParamError() => new("isv.MEMBER_PARAM_ERROR", "会员价商品必须传入allow_register_or_query_member=true");
    public static FlightError MemberBuyerRequired(string? detail = null) => new("isv.MEMBER_BUYER_REQUIRED", "会员价商品需传入购买人会员信息member_buyer", detail);
    public static FlightError DuplicateOutOrderNo() => new("isv.DUPLICATE_OUT_ORDER_NO", "外部订单号重复", "the out_order_no was booked before with a different create_order_request");
    public static FlightError OrderNotFound() => new("isv.ORDER_NOT_FOUND", "订单不存在");
    public static FlightError OrderStatusError(string? detail = null) => new("isv.ORDER_STATUS_ERROR", "当前订单状态不允许该操作", detail);
    public static FlightError PayAmountError(string? detail = null) => new("isv.PAY_AMOUNT_ERROR", "支付金额与订单金额不一致", detail);
    public static FlightError PayAgreementNotSigned() => new("isv.PAY_AGREEMENT_NOT_SIGNED", "支付宝账户未签约代扣协议", "the session's payAgreementSigned is false");
    public static FlightError PayTimeout() => new("isv.PAY_TIMEOUT", "订单已超过支付时限");
    public static FlightError RefundNotAllowed(string? detail = null) => new("isv.REFUND_NOT_ALLOWED", "该客票不可退", detail);
    public static FlightError RefundFeeChanged(string? detail = null) => new("isv.REFUND_FEE_CHANGED", "退票手续费发生变化，请重试!", detail);
    public static FlightError RefundRuleChanged() => new("isv.REFUND_RULE_CHANGED", "退票规则有更新，返回订单详情页后，请重新进行申请提交。",
        "refund_apply_type 100 (epidemic) while the airline has no epidemic policy: apply as type 2 and upload proof");
    public static FlightError RefundOrderNotFound() => new("isv.REFUND_ORDER_NOT_FOUND", "退票单不存在");
    public static FlightError AttachmentInvalid(string? detail = null) => new("isv.ATTACHMENT_INVALID", "附件格式或大小不合法", detail);
    public static FlightError ChangeNotAllowed(string? detail = null) => new("isv.CHANGE_NOT_ALLOWED", "该客票不可改签", detail);
    public static FlightError ChangeFeeChanged(string? detail = null) => new("isv.CHANGE_FEE_CHANGED", "改签费用发生变化，请重试!", detail);
    public static FlightError ChangeOrderNotFound() => new("isv.CHANGE_ORDER_NOT_FOUND", "改签单不存在");
}
