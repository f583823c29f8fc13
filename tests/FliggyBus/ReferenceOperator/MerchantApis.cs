using System.Globalization;
using System.Text.Json.Nodes;

namespace Sandbox.Tests.FliggyBus.ReferenceOperator;

/// <summary>
/// The operator's side of the 11 custom-bus APIs, implemented as the spec asks of a merchant: stable schedule ids,
/// seats locked by create order and released by close and refund, create idempotent on alitripOrderId, refunds
/// idempotent on alitripOrderId plus certificates and never twice, fees from the line's refund rule.
/// </summary>
public sealed class MerchantApis(OperatorDefect defects, TimeProvider time)
{
    sealed class Passenger
    {
        public required string Id { get; init; }
        public required string Name { get; init; }
        public required string Type { get; init; }
        public required string CertType { get; init; }
        public required string CertNo { get; init; }
        public required long Price { get; init; }
        public required string TicketId { get; init; }
        public bool Refunded { get; set; }
        public bool RefundPending { get; set; }
        public long PendingFee { get; set; }
    }

    sealed class Order
    {
        public required string AlitripOrderId { get; init; }
        public required string AgentOrderId { get; init; }
        public required OperatorSchedule Schedule { get; init; }
        public required List<Passenger> Passengers { get; init; }
        public required JsonObject CreateReply { get; init; }
        public string Status { get; set; } = "1";
        public string? IssueTime { get; set; }
    }

    readonly Lock _gate = new();
    readonly OperatorCatalogue _catalogue = new(time.GetUtcNow());
    readonly Dictionary<string, Order> _byAlitripId = [];
    readonly Dictionary<string, JsonObject> _refunds = [];
    int _orderSeq = 1000;
    int _syncs;

    /// <summary>Confirm answers status 2 (tickets later) and the next order.query finds the order issued.</summary>
    public bool AsyncTicketing { get; set; }

    /// <summary>return.confirm answers refundStatus 2 (processing); the refund completes with <see cref="CompleteRefund"/>.</summary>
    public bool AsyncRefund { get; set; }

    /// <summary>The next this-many order.create calls are refused (retCode 9999) before any order is made.</summary>
    public int FailCreates { get; set; }

    /// <summary>Every order.confirm is refused (retCode 9999), the order staying unpaid-unissued at 1.</summary>
    public bool FailConfirms { get; set; }

    /// <summary>Called after a reply in the asynchronous modes, with the Fliggy order id: the operator's TOP callbacks hook in here.</summary>
    public Action<string, string>? AfterReply { get; set; }

    /// <summary>The merchant stops a departure (it then shows in offline.number.query).</summary>
    public void StopSchedule(string scheduleId)
    {
        lock (_gate) Find(scheduleId)!.Stopped = true;
    }

    public void SetPrice(string scheduleId, long price)
    {
        lock (_gate) Find(scheduleId)!.TicketPrice = price;
    }

    /// <summary>
    /// The tickets of an order answered with status 2 are issued: the order is 3 and the bookticket.confirm request
    /// object (snake_case, as the Go SDK writes it: <c>success</c> left out when false) is returned.
    /// </summary>
    public JsonObject Issued(string alitripOrderId, bool success = true)
    {
        lock (_gate)
        {
            var o = _byAlitripId[alitripOrderId];
            if (success) Issue(o);
            else o.Status = "4";
            var rq = new JsonObject { ["agent_order_id"] = o.AgentOrderId, ["bus_inner_order_id"] = o.AlitripOrderId };
            if (success)
            {
                rq["success"] = true;
                rq["ticket_count"] = o.Passengers.Count;
                rq["total_price"] = o.Passengers.Sum(p => p.Price);
                rq["fetch_tickets_pwd"] = "8866";
                rq["passenger_info_list"] = new JsonArray(o.Passengers.Select((p, i) => (JsonNode)new JsonObject
                {
                    ["agent_ticket_id"] = p.TicketId, ["passenger_cert_no"] = p.CertNo, ["passenger_cert_type"] = "0" + p.CertType,
                    ["passenger_name"] = p.Name, ["seat_no"] = (i + 1).ToString(CultureInfo.InvariantCulture),
                }).ToArray());
            }
            return rq;
        }
    }

    /// <summary>
    /// A refund answered with refundStatus 2 is done: the tickets are refunded and the refund.confirm request object
    /// (per order, amount in yuan) is returned.
    /// </summary>
    public JsonObject CompleteRefund(string alitripOrderId)
    {
        lock (_gate)
        {
            var o = _byAlitripId[alitripOrderId];
            var pending = o.Passengers.Where(p => p.RefundPending).ToList();
            var fen = pending.Sum(p => p.Price - p.PendingFee);
            foreach (var p in pending)
            {
                p.RefundPending = false;
                p.Refunded = true;
                o.Schedule.Locked--;
            }
            if (o.Passengers.All(p => p.Refunded)) o.Status = "11";
            var rq = new JsonObject
            {
                ["agent_order_id"] = o.AgentOrderId, ["main_biz_order_id"] = long.Parse(o.AlitripOrderId, CultureInfo.InvariantCulture),
                ["agent_return_ticket_status"] = 1, ["agent_refund_amount"] = (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture),
                ["agent_refund_trans_id"] = "RT" + o.AgentOrderId + "-" + pending.Count.ToString(CultureInfo.InvariantCulture),
            };
            if (pending.Count == o.Passengers.Count) rq["agent_return_ticket_type"] = 1;
            else rq["agent_ticket_id"] = pending[0].TicketId;
            return rq;
        }
    }

    public string AgentOrderId(string alitripOrderId)
    {
        lock (_gate) return _byAlitripId[alitripOrderId].AgentOrderId;
    }

    public static JsonObject Refuse(string code, string desc) => new() { ["retCode"] = code, ["retDesc"] = desc, ["success"] = false };

    static JsonObject Ok(JsonObject fields)
    {
        var reply = new JsonObject { ["retCode"] = "0", ["retDesc"] = "成功", ["success"] = true };
        foreach (var (k, v) in fields) reply[k] = v?.DeepClone();
        return reply;
    }

    public JsonObject Handle(string method, JsonObject body)
    {
        lock (_gate)
        {
            return method switch
            {
                "qimen.alitrip.custombus.product.fromcity.query" => Ok(new JsonObject { ["fromCityList"] = OperatorCatalogue.FromCities(!defects.HasFlag(OperatorDefect.MissingCityCode)) }),
                "qimen.alitrip.custombus.product.tocity.query" => Ok(new JsonObject { ["toCityList"] = OperatorCatalogue.ToCities(Str(body, "fromCity")) }),
                "qimen.alitrip.custombus.product.number.query" => NumberQuery(body),
                "qimen.alitrip.custombus.product.seat.query" => SeatQuery(body),
                "qimen.alitrip.custombus.order.create" => OrderCreate(body),
                "qimen.alitrip.custombus.order.query" => WithOrder(body, OrderQuery),
                "qimen.alitrip.custombus.order.confirm" => WithOrder(body, OrderConfirm),
                "qimen.alitrip.custombus.return.query" => WithOrder(body, ReturnQuery),
                "qimen.alitrip.custombus.return.confirm" => WithOrder(body, ReturnConfirm),
                "qimen.alitrip.custombus.offline.number.query" => OfflineNumberQuery(body),
                "qimen.alitrip.custombus.order.close" => WithOrder(body, OrderClose),
                _ => defects.HasFlag(OperatorDefect.AcceptsUnknownMethod) ? Ok([]) : Refuse("invalid-method", $"不支持的方法 {method}"),
            };
        }
    }

    JsonObject NumberQuery(JsonObject body)
    {
        var lineId = OperatorCatalogue.LineFor(Str(body, "fromCity"), Str(body, "toCity"));
        if (lineId is null) return Ok(new JsonObject { ["lineSchedule"] = new JsonArray() });
        var sync = ++_syncs;
        var date = Str(body, "fromDate");
        var schedules = _catalogue.Schedules.Where(s => s.LineId == lineId && (date.Length == 0 || s.FromDate == date));
        return Ok(new JsonObject
        {
            ["lineSchedule"] = new JsonArray(new JsonObject
            {
                ["line"] = OperatorCatalogue.Line(lineId, defects),
                ["scheduleList"] = new JsonArray(schedules.Select(s => (JsonNode)ScheduleJson(s, lineId, sync)).ToArray()),
            }),
        });
    }

    JsonObject ScheduleJson(OperatorSchedule s, string lineId, int sync)
    {
        var o = new JsonObject
        {
            ["scheduleId"] = Id(s, sync),
            ["goodsId"] = "G-" + lineId,
            ["fromDate"] = s.FromDate,
        };
        if (lineId == "HZNB01")
        {
            o["fromDurationBegin"] = "07:00";
            o["fromDurationEnd"] = "09:00";
        }
        else o["fromTime"] = s.FromTime;
        o["ticketPrice"] = s.TicketPrice;
        o["childPrice"] = s.TicketPrice / 2;
        o["leftTicketCnt"] = s.Stopped ? 0 : s.Left;
        o["saleStatus"] = s.Stopped ? 0 : 1;
        return o;
    }

    string Id(OperatorSchedule s, int sync) => defects.HasFlag(OperatorDefect.UnstableScheduleIds) ? $"{s.StableId}-{sync}" : s.StableId;

    OperatorSchedule? Find(string scheduleId) =>
        _catalogue.Schedules.FirstOrDefault(s => s.StableId == scheduleId
                                                 || (defects.HasFlag(OperatorDefect.UnstableScheduleIds) && scheduleId.StartsWith(s.StableId + "-", StringComparison.Ordinal)));

    JsonObject SeatQuery(JsonObject body)
    {
        if (Find(Str(body, "scheduleId")) is not { } s) return Refuse("1002", "班次不存在或已停售");
        return Ok(new JsonObject { ["leftTicketCnt"] = s.Stopped ? 0 : s.Left, ["saleStatus"] = s.Stopped ? 0 : 1 });
    }

    JsonObject OrderCreate(JsonObject body)
    {
        var alitripOrderId = Str(body, "alitripOrderId");
        if (alitripOrderId.Length == 0) return Refuse("9999", "alitripOrderId 必填");
        if (!defects.HasFlag(OperatorDefect.NonIdempotentCreate) && _byAlitripId.TryGetValue(alitripOrderId, out var existing))
            return existing.CreateReply;
        if (FailCreates > 0)
        {
            FailCreates--;
            return Refuse("9999", "系统繁忙，请重试");
        }
        if (Find(Str(body, "scheduleId")) is not { Stopped: false } schedule) return Refuse("1002", "班次已停售");
        var passengers = body["passengerList"] as JsonArray ?? [];
        if (passengers.Count == 0 || Long(body, "ticketCount") != passengers.Count) return Refuse("9999", "ticketCount 与乘客数不符");
        if (Long(body, "orderAmount") != passengers.OfType<JsonObject>().Sum(p => Long(p, "ticketPrice")))
            return Refuse("1003", "票价已变动");
        if (schedule.Left < passengers.Count) return Refuse("1001", "余票不足");
        if (!defects.HasFlag(OperatorDefect.SeatsNotLocked)) schedule.Locked += passengers.Count;
        var agentOrderId = "BUS" + (++_orderSeq).ToString(CultureInfo.InvariantCulture);
        var list = passengers.OfType<JsonObject>().Select((p, i) => new Passenger
        {
            Id = Str(p, "passengerId"), Name = Str(p, "passengerName"), Type = Str(p, "passengerType"), CertType = Str(p, "passengerCertificateType"),
            CertNo = Str(p, "passengerCertificateNo"), Price = Long(p, "ticketPrice"), TicketId = $"{agentOrderId}-{i + 1}",
        }).ToList();
        var reply = Ok(new JsonObject
        {
            ["agentOrderId"] = agentOrderId,
            ["alitripOrderId"] = alitripOrderId,
            ["status"] = "1",
            ["statusDesc"] = "下单未付款",
            ["lockExpireTime"] = China(time.GetUtcNow() + TimeSpan.FromMinutes(20)),
            ["passengerList"] = new JsonArray(list.Select(p => (JsonNode)new JsonObject { ["passengerId"] = p.Id, ["ticketId"] = p.TicketId }).ToArray()),
        });
        _byAlitripId[alitripOrderId] = new Order { AlitripOrderId = alitripOrderId, AgentOrderId = agentOrderId, Schedule = schedule, Passengers = list, CreateReply = reply };
        return reply;
    }

    JsonObject WithOrder(JsonObject body, Func<Order, JsonObject, JsonObject> handler) =>
        _byAlitripId.TryGetValue(Str(body, "alitripOrderId"), out var order) && order.AgentOrderId == Str(body, "agentOrderId")
            ? handler(order, body)
            : Refuse("2001", "订单不存在");

    JsonObject OrderView(Order o, bool withRefunds)
    {
        var fields = new JsonObject
        {
            ["alitripOrderId"] = o.AlitripOrderId,
            ["agentOrderId"] = o.AgentOrderId,
            ["agentIssueTime"] = o.IssueTime ?? China(time.GetUtcNow()),
            ["status"] = o.Status,
            ["ticketWicket"] = "3号检票口",
            ["passengerList"] = new JsonArray(o.Passengers.Select(p =>
            {
                var j = new JsonObject
                {
                    ["passengerName"] = p.Name, ["passengerType"] = p.Type, ["passengerCertificateNo"] = p.CertNo,
                    ["passengerCertificateType"] = p.CertType, ["passengerId"] = p.Id, ["ticketId"] = p.TicketId,
                    ["ticketStatus"] = p.Refunded ? "5" : o.Status is "3" or "9" or "11" ? "2" : o.Status is "4" or "5" ? "3" : "1",
                };
                if (o.Status is "3" or "11")
                {
                    j["ticketNo"] = "T" + p.TicketId;
                    j["ticketPwd"] = p.TicketId[^4..];
                }
                if (withRefunds) j["isRefund"] = p.Refunded;
                return (JsonNode)j;
            }).ToArray()),
        };
        return Ok(fields);
    }

    JsonObject OrderQuery(Order o, JsonObject body)
    {
        if (o.Status == "2" && AsyncTicketing) Issue(o);
        return OrderView(o, withRefunds: true);
    }

    JsonObject OrderConfirm(Order o, JsonObject body)
    {
        if (FailConfirms) return Refuse("9999", "出票系统异常");
        switch (o.Status)
        {
            case "1":
                if (AsyncTicketing)
                {
                    o.Status = "2";
                    AfterReply?.Invoke("bookticket", o.AlitripOrderId);
                }
                else Issue(o);
                break;
            case "2" or "3":
                break;
            default:
                return Refuse("2002", "订单状态不允许出票");
        }
        return OrderView(o, withRefunds: false);
    }

    void Issue(Order o)
    {
        o.Status = "3";
        o.IssueTime = China(time.GetUtcNow());
    }

    JsonObject ReturnQuery(Order o, JsonObject body)
    {
        if (o.Status is not ("3" or "9")) return Refuse("2002", "订单状态不允许退票");
        var asked = Passengers(o, body);
        if (asked.Any(p => p.Refunded && !defects.HasFlag(OperatorDefect.RefundsTwice)))
            return Ok(new JsonObject { ["agentOrderId"] = o.AgentOrderId, ["alitripOrderId"] = o.AlitripOrderId, ["canRefund"] = false, ["refuseReason"] = "已退票" });
        var now = time.GetUtcNow();
        var fees = asked.Select(p => (p, Fee: OperatorCatalogue.Fee(o.Schedule.LineId, p.Price, o.Schedule.Departure, now))).ToList();
        if (fees.Any(f => f.Fee < 0))
            return Ok(new JsonObject { ["agentOrderId"] = o.AgentOrderId, ["alitripOrderId"] = o.AlitripOrderId, ["canRefund"] = false, ["refuseReason"] = "发车前3小时内不可退票" });
        return Ok(new JsonObject
        {
            ["agentOrderId"] = o.AgentOrderId,
            ["alitripOrderId"] = o.AlitripOrderId,
            ["canRefund"] = true,
            ["passengerList"] = new JsonArray(fees.Select(f => (JsonNode)new JsonObject
            {
                ["passengerId"] = f.p.Id, ["passengerName"] = f.p.Name, ["passengerCertificateNo"] = f.p.CertNo,
                ["passengerCertificateType"] = f.p.CertType, ["ticketId"] = f.p.TicketId, ["refundSurcharge"] = f.Fee,
            }).ToArray()),
        });
    }

    JsonObject ReturnConfirm(Order o, JsonObject body)
    {
        var asked = Passengers(o, body);
        var key = o.AlitripOrderId + "|" + string.Join(",", asked.Select(p => p.CertNo).Order(StringComparer.Ordinal));
        if (!defects.HasFlag(OperatorDefect.RefundsTwice))
        {
            if (_refunds.TryGetValue(key, out var replay)) return replay;
            if (asked.Any(p => p.Refunded)) return Refuse("3001", "车票已退");
        }
        if (o.Status is not ("3" or "9")) return Refuse("2002", "订单状态不允许退票");
        if (asked.Count == 0) return Refuse("9999", "passengerList 必填");
        long amount = 0;
        foreach (var p in asked)
        {
            var fee = (body["passengerList"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(x => Str(x, "passengerId") == p.Id) is { } item ? Long(item, "refundSurcharge") : 0;
            amount += p.Price - fee;
            if (AsyncRefund)
            {
                p.RefundPending = true;
                p.PendingFee = fee;
                continue;
            }
            p.Refunded = true;
            o.Schedule.Locked--;
        }
        if (AsyncRefund)
        {
            o.Status = "9";
            var processing = Ok(new JsonObject { ["refundStatus"] = "2" });
            _refunds[key] = processing;
            AfterReply?.Invoke("refund", o.AlitripOrderId);
            return processing;
        }
        if (o.Passengers.All(p => p.Refunded)) o.Status = "11";
        var reply = Ok(new JsonObject { ["refundStatus"] = "1", ["refundAmount"] = amount });
        _refunds[key] = reply;
        return reply;
    }

    JsonObject OrderClose(Order o, JsonObject body)
    {
        if (o.Status is "5" or "4") return Ok([]);
        if (o.Status != "1" && !(o.Status == "2" && Long(body, "closeType") == 2)) return Refuse("2002", "订单状态不允许关闭");
        o.Status = Long(body, "closeType") == 2 ? "4" : "5";
        if (!defects.HasFlag(OperatorDefect.CloseKeepsSeats)) o.Schedule.Locked -= o.Passengers.Count;
        return Ok([]);
    }

    JsonObject OfflineNumberQuery(JsonObject body)
    {
        var stopped = _catalogue.Schedules.Where(s => s.Stopped).GroupBy(s => s.LineId);
        return Ok(new JsonObject
        {
            ["lineSchedule"] = new JsonArray(stopped.Select(g =>
            {
                var line = OperatorCatalogue.Line(g.Key, defects);
                return (JsonNode)new JsonObject
                {
                    ["line"] = new JsonObject { ["id"] = line["id"]!.DeepClone(), ["name"] = line["name"]!.DeepClone() },
                    ["scheduleList"] = new JsonArray(g.Select(s => (JsonNode)ScheduleJson(s, g.Key, _syncs)).ToArray()),
                };
            }).ToArray()),
        });
    }

    static List<Passenger> Passengers(Order o, JsonObject body)
    {
        var ids = (body["passengerList"] as JsonArray)?.OfType<JsonObject>().Select(p => Str(p, "passengerId")).ToHashSet() ?? [];
        return ids.Count == 0 ? o.Passengers : o.Passengers.Where(p => ids.Contains(p.Id)).ToList();
    }

    static string Str(JsonObject o, string name) => o[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => "",
    };

    static long Long(JsonObject o, string name) => long.TryParse(Str(o, name), out var n) ? n : -1;

    static string China(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
