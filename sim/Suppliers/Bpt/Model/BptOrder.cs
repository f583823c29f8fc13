using System.Text.Json.Serialization;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.Bpt.Model;

public sealed record BptPassenger(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("idno")] string IdNo);

public sealed record BptSegment(
    [property: JsonPropertyName("flightno")] string FlightNo,
    [property: JsonPropertyName("dep")] string Dep,
    [property: JsonPropertyName("arr")] string Arr,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("deptime")] string DepTime,
    [property: JsonPropertyName("arrtime")] string ArrTime,
    [property: JsonPropertyName("cabin")] string Cabin);

public sealed record BptTicket(
    [property: JsonPropertyName("passenger")] string Passenger,
    [property: JsonPropertyName("tktno")] string TktNo);

/// <summary>
/// A B2B order created by <c>input</c> (入库) or <c>orderex</c>. Its key is (air, big PNR) (spec §7.3): the id is
/// "{air}-{bigpnr}". Status is the order status code of spec §7.1, which is also the machine state name.
/// </summary>
public sealed class BptOrder : Entity
{
    [JsonPropertyName("air")] public string Air { get; set; } = "";
    [JsonPropertyName("pnr")] public string BigPnr { get; set; } = "";
    [JsonPropertyName("pnrc")] public string? SmallPnr { get; set; }
    [JsonPropertyName("pnrsrcid")] public string PnrSrcId { get; set; } = "";
    [JsonPropertyName("b2buser")] public string B2bUser { get; set; } = "";
    [JsonPropertyName("payaccount")] public string? PayAccount { get; set; }
    /// <summary>The latest callbackurl any command supplied (spec §6.1: the latest one wins).</summary>
    [JsonPropertyName("callbackurl")] public string? CallbackUrl { get; set; }
    [JsonPropertyName("callbackurlforpay")] public string? CallbackUrlForPay { get; set; }
    /// <summary>Minutes allowed for fetching ticket numbers before the timeout notice (default 5).</summary>
    [JsonPropertyName("getticketovertime")] public int GetTicketOverTime { get; set; } = 5;
    [JsonPropertyName("passengers")] public List<BptPassenger> Passengers { get; set; } = [];
    [JsonPropertyName("segments")] public List<BptSegment> Segments { get; set; } = [];
    /// <summary>Face price total over all passengers (票面价).</summary>
    [JsonPropertyName("ticketprice")] public decimal TicketPrice { get; set; }
    [JsonPropertyName("totaltax")] public decimal TotalTax { get; set; }
    [JsonPropertyName("policynum")] public decimal PolicyNum { get; set; }
    [JsonPropertyName("pgcode")] public string PgCode { get; set; } = "";
    [JsonPropertyName("payprice")] public decimal PayPrice { get; set; }
    /// <summary>Pay status of spec §7.2 ("0", "1", "9"), or "" before any payment attempt.</summary>
    [JsonPropertyName("paystatus")] public string PayStatus { get; set; } = "";
    /// <summary>The account actually charged (from payaccount or the assistant's setting).</summary>
    [JsonPropertyName("chargedaccount")] public string? ChargedAccount { get; set; }
    /// <summary>The airline B2B order number (pay's orderid).</summary>
    [JsonPropertyName("orderno")] public string OrderNo { get; set; } = "";
    [JsonPropertyName("tradeno")] public string TradeNo { get; set; } = "";
    [JsonPropertyName("outtradeno")] public string OutTradeNo { get; set; } = "";
    [JsonPropertyName("tickets")] public List<BptTicket> Tickets { get; set; } = [];
    /// <summary>The text of the latest ticketing notice (出票成功, 出票失败，已退款 …).</summary>
    [JsonPropertyName("message")] public string Message { get; set; } = "";
    /// <summary>Virtual time at which the getticketovertime notice is due, while one is pending.</summary>
    [JsonPropertyName("overtimeDueMs")] public long? OvertimeDueMs { get; set; }
    /// <summary>URLs that already received the success notice: ticketoutcallback does not send it there twice.</summary>
    [JsonPropertyName("notifiedUrls")] public List<string> NotifiedUrls { get; set; } = [];
    /// <summary>Airline contact extras (hu_linkman, zh_name …), stored as sent.</summary>
    [JsonPropertyName("contacts")] public Dictionary<string, string> Contacts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Paid => PayStatus == Bpt.Model.PayStatus.Success;

    public static string KeyOf(string air, string bigPnr) => air + "-" + bigPnr;
}

/// <summary>Order status codes (spec §7.1); they are the state names of the order machine in scenarios/bpt/*.yaml.</summary>
public static class OrderStatus
{
    public const string NotTicketed = "0";
    public const string Ticketed = "1";
    public const string AwaitingPayment = "3";
    public const string AwaitingTicket = "4";
    public const string Refunded = "6";
    public const string Cancelled = "7";
    public const string Unknown = "9";
    public const string Void = "11";
    public const string Negotiating = "12";

    public static string Name(string code) => code switch
    {
        NotTicketed => "未出票",
        Ticketed => "出票完成",
        AwaitingPayment => "等待支付",
        AwaitingTicket => "等待出票",
        Refunded => "差错退款",
        Cancelled => "取消入库",
        Unknown => "状态未知",
        Void => "订单作废",
        Negotiating => "议价申请中",
        _ => "状态" + code,
    };

    /// <summary>Cancelled and voided orders are gone for the airline: the PNR reads as cancelled.</summary>
    public static bool IsClosed(string code) => code is Cancelled or Void;
}

/// <summary>Pay status codes (spec §7.2).</summary>
public static class PayStatus
{
    public const string Failed = "0";
    public const string Success = "1";
    public const string Unknown = "9";
}
