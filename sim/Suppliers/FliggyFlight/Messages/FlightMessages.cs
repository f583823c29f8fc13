using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.Top.Tmc;

namespace Sandbox.Suppliers.FliggyFlight.Messages;

/// <summary>
/// The TMC messages of the flight machines (spec §3.1), each published in the unit of work of the state change that
/// causes it. Content is compact one-line JSON whose <c>id</c> is the decimal string of the message id; field types
/// follow the public typings (order numbers as strings in TradeNotify and PayNotification, as numbers elsewhere).
/// </summary>
public sealed class FlightMessages(ITmcPublisher outlet)
{
    public const string TradeNotify = "alitrip_flight_TradeNotify";
    public const string RefundNotify = "alitrip_flight_RefundNotify";
    public const string ChangeStatusNotify = "alitrip_flight_ChangeStatusNotify";
    public const string PayNotification = "alitrip_flight_PayNotification";
    public const string FlightChange = "alitrip_flight_FlightChange";
    public const string Change = "alitrip_flight_Change";

    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>TradeNotify type 1 支付成功 (with the trade numbers, and PayNotification beside it), 2 关单, 3 出票成功.</summary>
    public void Trade(UnitOfWork uow, string tenant, FlightOrder order, int type)
    {
        var orderNo = order.Id;
        var tradeNo = order.AlipayTradeNo;
        outlet.Publish(uow, new TmcPublication(tenant, TradeNotify, order.UserId, order.UserNick, id => Json(w =>
        {
            w.WriteString("id", Id(id));
            w.WriteString("order_no", orderNo);
            w.WriteString("type", type.ToString(CultureInfo.InvariantCulture));
            if (type == 1 && tradeNo is not null)
            {
                w.WriteString("alipay_trade_no", tradeNo);
                w.WriteString("trade_no", tradeNo);
            }
        })));
        if (type == 1 && tradeNo is not null)
            outlet.Publish(uow, new TmcPublication(tenant, PayNotification, order.UserId, order.UserNick, id => Json(w =>
            {
                w.WriteString("id", Id(id));
                w.WriteString("order_no", orderNo);
                w.WriteString("alipay_trade_no", tradeNo);
            })));
    }

    /// <summary>RefundNotify: REFUND_CREATE_MSG, REFUND_CLOSE_MSG or REFUND_SUCCESS_MSG.</summary>
    public void Refund(UnitOfWork uow, string tenant, FlightOrder order, RefundOrder refund, string messageType)
    {
        var (orderId, refundId, multi) = (order.OrderId, refund.RefundOrderId, refund.MultiRefundFlag);
        outlet.Publish(uow, new TmcPublication(tenant, RefundNotify, order.UserId, order.UserNick, id => Json(w =>
        {
            w.WriteString("id", Id(id));
            w.WriteString("message_type", messageType);
            w.WriteNumber("order_no", orderId);
            w.WriteNumber("refund_order_no", refundId);
            w.WriteBoolean("multi_refund_flag", multi);
        })));
    }

    /// <summary>ChangeStatusNotify with the change order's new status (1–5).</summary>
    public void ChangeStatus(UnitOfWork uow, string tenant, FlightOrder order, ChangeOrder change, int status)
    {
        var (orderId, changeId) = (order.OrderId, change.ChangeOrderId);
        outlet.Publish(uow, new TmcPublication(tenant, ChangeStatusNotify, order.UserId, order.UserNick, id => Json(w =>
        {
            w.WriteString("id", Id(id));
            w.WriteNumber("order_no", orderId);
            w.WriteNumber("change_order_no", changeId);
            w.WriteNumber("status", status);
        })));
    }

    /// <summary>A schedule change of one of the order's flights, as <c>alitrip_flight_FlightChange</c> (新京航航变) or <c>alitrip_flight_Change</c>.</summary>
    /// <returns>the message id, or null when no TMC publisher is registered</returns>
    public long? FlightChanged(UnitOfWork uow, string tenant, FlightOrder order, string topic, FlightChangeFacts f)
    {
        var orderId = order.OrderId;
        return outlet.Publish(uow, new TmcPublication(tenant, topic, order.UserId, order.UserNick, id =>
            topic == FlightChange
                ? Json(w =>
                {
                    w.WriteString("message_id", Id(id));
                    w.WriteNumber("order_id", orderId);
                    w.WriteNumber("change_type", f.ChangeType);
                    w.WriteNumber("sub_type", 0);
                    Opt(w, "change_reason", f.Reason);
                    w.WriteString("change_time", f.ChangeTime);
                    w.WriteString("old_flight_no", f.OldFlightNo);
                    w.WriteString("old_depart_code", f.OldDep);
                    w.WriteString("old_arrive_code", f.OldArr);
                    w.WriteString("old_depart_time", f.OldDepTime);
                    w.WriteString("old_arrive_time", f.OldArrTime);
                    w.WriteString("old_flight_date", f.OldDepTime[..10]);
                    Opt(w, "new_flight_no", f.NewFlightNo);
                    Opt(w, "new_depart_code", f.NewDep);
                    Opt(w, "new_arrive_code", f.NewArr);
                    Opt(w, "new_depart_time", f.NewDepTime);
                    Opt(w, "new_arrive_time", f.NewArrTime);
                    Opt(w, "new_flight_date", f.NewDepTime?[..10]);
                })
                : Json(w =>
                {
                    w.WriteNumber("order_id", orderId);
                    w.WriteNumber("flight_change_type", f.ChangeType);
                    w.WriteString("flight_change_time", f.ChangeTime);
                    w.WriteString("old_flight_num", f.OldFlightNo);
                    w.WriteString("old_dep_airport", f.OldDep);
                    w.WriteString("old_arr_airport", f.OldArr);
                    w.WriteString("old_dep_time", f.OldDepTime);
                    w.WriteString("old_arr_time", f.OldArrTime);
                    w.WriteString("new_flight_num", f.NewFlightNo ?? "");
                    w.WriteString("new_dep_airport", f.NewDep ?? "");
                    w.WriteString("new_arr_airport", f.NewArr ?? "");
                    Opt(w, "new_dep_time", f.NewDepTime);
                    Opt(w, "new_arr_time", f.NewArrTime);
                })));
    }

    static void Opt(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>What a flight change says: the type (1 cancelled, 2 changed, 3 protected), the old flight and the new one.</summary>
public sealed record FlightChangeFacts(
    int ChangeType, string? Reason, string ChangeTime, string OldFlightNo, string OldDep, string OldArr, string OldDepTime, string OldArrTime,
    string? NewFlightNo, string? NewDep, string? NewArr, string? NewDepTime, string? NewArrTime);
