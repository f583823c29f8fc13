using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Scenic booking: OrderProducts (§4.4), OrderAndPayWithYDJ (§4.36) and OrderAndPayWithFK (§4.44). Every check runs
/// before anything is held, so a refused booking leaves no trace. The order-and-pay pages are idempotent on the
/// integrator's order id (XCDDH / senderid): a repeat returns the order the first call created.
/// </summary>
static class Booking
{
    public sealed record Input(
        List<(Product Product, int Num)> Lines, string Mobile, string CardId, DateOnly Sxrq, bool NeedInvoice, string InvoiceTitle,
        List<RealName> RealNames, string SenderId, string ServiceCode, int? TimeSpanIndex, Theatre.SeatBooking? Seats = null);

    public static XmlReply OrderProducts(YobaoxingCall call)
    {
        var input = Parse(call, call.Opt("senderid") ?? "");
        var order = Create(call, input);
        return OrderItem(call, order);
    }

    public static XmlReply OrderAndPayWithYDJ(YobaoxingCall call) => OrderAndPay(call, Payments.Kind.Deposit, "XCDDH");

    public static XmlReply OrderAndPayWithFK(YobaoxingCall call) => OrderAndPay(call, Payments.Kind.Rebate, "senderid");

    static XmlReply OrderAndPay(YobaoxingCall call, Payments.Kind kind, string senderParam) =>
        OrderAndPay(call, kind, senderParam, call.ReqDec(senderParam), Parse, senderParam == "XCDDH" ? "Order_id" : "order_id");

    /// <summary>Order and authorise in one call; <paramref name="parse"/> reads the scenic or the theatre booking.</summary>
    public static XmlReply OrderAndPay(YobaoxingCall call, Payments.Kind kind, string senderParam, string sender, Func<YobaoxingCall, string, Input> parse, string orderIdName)
    {
        if (Existing(call, sender) is { } existing) return PayItem(call, existing, senderParam, orderIdName);
        var input = parse(call, sender);
        var money = call.ReqMoney("money");
        var smsModel = SmsModel(call);
        var notify = Payments.SendNotification(call);
        Payments.CheckPassword(call, kind, call.Req("SmsCode"));
        var total = input.Lines.Sum(l => l.Product.Price * l.Num);
        Payments.CheckPayable(call, kind, total, money);
        var activation = input.Seats is null ? Payments.ActivationRequest(call, Products.Date(input.Sxrq), kind) : null;
        var order = Create(call, input);
        lock (order)
        {
            order.SmsModel = smsModel;
            order.SendNotification = notify;
            Payments.Authorise(call, order, kind, call.Page.Name, activation);
            Remember(call, sender, order);
        }
        return PayItem(call, order, senderParam, orderIdName);
    }

    static string SmsModel(YobaoxingCall call)
    {
        var m = call.Opt("smsModel") ?? "0";
        return m is "0" or "1" or "2" or "A" ? m : throw call.Bad("smsModel 只能是 0、1、2 或 A");
    }

    public static TicketOrder? Existing(YobaoxingCall call, string sender)
    {
        if (call.Services.Senders.Get(call.Tenant.Id, sender) is not { } r) return null;
        var order = call.Services.Orders.Get(call.Tenant.Id, r.OrderId);
        if (order is not null) call.Ctx.EntityKey = YobaoxingServices.OrderKey(order.Id);
        return order;
    }

    public static void Remember(YobaoxingCall call, string sender, TicketOrder order) =>
        call.Services.Senders.Save(call.Ctx.Uow, call.Tenant.Id, new SenderRef
        {
            Id = sender, Status = "1", CreatedMs = call.NowMs, UpdatedMs = call.NowMs, OrderId = order.Id,
        });

    static XmlReply PayItem(YobaoxingCall call, TicketOrder order, string senderParam, string orderIdName) =>
        call.Ok().Open("Item")
            .Leaf(orderIdName, order.Id)
            .Leaf(senderParam, order.SenderId)
            .Leaf("status", order.Status)
            .Close("Item");

    public static Input Parse(YobaoxingCall call, string senderId)
    {
        var lines = OrderList(call, call.Req("Order_list"));
        var mobile = call.ReqDec("Mobile");
        var card = call.ReqDec("ID");
        if (card.Length > 20 || card.Any(c => !char.IsAsciiLetterOrDigit(c)))
            throw YobaoxingCall.Fail(-1, $"取票证件号码:\"{card}\"有错误:证件号码只能由字母和数字组成，且不超过20位");
        var sxrq = call.ReqDate("SXRQ", call.ReqDec("SXRQ"));
        CheckLines(call, lines, sxrq, theatre: false);
        var realNames = RealNames(call, lines);
        var serviceCode = call.Opt("ServiceCode") ?? "";
        int? slot = null;
        if (!call.Legacy && Products.TimeSlotMode(call) && call.OptInt("timespanindex") is { } index)
        {
            var route = (serviceCode.Length > 0 ? call.Catalog.Routes.FirstOrDefault(r => r.Code == serviceCode) : null)
                        ?? lines.Select(l => call.Catalog.RouteOf(l.Product.Id)).FirstOrDefault(r => r is not null)
                        ?? throw YobaoxingCall.Fail(-1, Msg.Failed("当前门票类型没有分配线路，不能指定时段"));
            serviceCode = route.Code;
            var stock = call.Services.Stock.For(call.Tenant.Id);
            lock (stock)
                slot = Stock.PickSlot(call, stock, route.Code, Products.Date(sxrq), lines.Sum(l => l.Num), index == -1 ? null : index)?.Index
                       ?? throw YobaoxingCall.Fail(-1, Msg.Failed(index == -1 ? "当日没有余量足够的时段" : "指定的时段不存在、不可用或余量不足"));
        }
        return new Input(lines, mobile, card, sxrq, call.Opt("NeedInvoice") == "1", call.Dec("InvoiceTitle") ?? "", realNames, senderId, serviceCode, slot);
    }

    public static List<(Product Product, int Num)> OrderList(YobaoxingCall call, string text)
    {
        var parts = text.Split('|');
        if (parts.Length % 2 != 0) throw call.Bad("Order_list 应为 产品ID1|数量1|产品ID2|数量2……");
        var lines = new List<(Product, int)>();
        for (var i = 0; i < parts.Length; i += 2)
        {
            if (!int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
                throw call.Bad($"{parts[i]}|数量必须是正整数");
            var product = call.Catalog.Product(parts[i].Trim())
                          ?? throw YobaoxingCall.Fail(-1, "该门票类型ID不在预定范围内，预定单明细数据创建失败，请检查您的产品ID是否正确或联系景区并重试！");
            if (lines.Any(l => l.Item1 == product)) throw call.Bad($"{product.Id}|同一门票类型在Order_list中出现了多次");
            lines.Add((product, n));
        }
        if (call.Settings.Flag("singleTicketType", false) && lines.Count > 1)
            throw YobaoxingCall.Fail(-1, "暂时一个订单只支持一个门票种类，请检查......");
        return lines;
    }

    /// <summary>Quantities, dates, the product's daily quota and the agent's daily limit (pipe-separated per-product errors).</summary>
    public static void CheckLines(YobaoxingCall call, List<(Product Product, int Num)> lines, DateOnly date, bool theatre)
    {
        foreach (var (p, _) in lines)
            if (p.Theatre != theatre)
                throw YobaoxingCall.Fail(-1, "该门票类型ID不在预定范围内，预定单明细数据创建失败，请检查您的产品ID是否正确或联系景区并重试！");
        var qtyErrors = lines.Where(l => l.Num < l.Product.Minimum || l.Num > l.Product.Maximum)
            .Select(l => $"{l.Product.Id}|数量必须在{l.Product.Minimum}至{l.Product.Maximum}之间").ToList();
        if (qtyErrors.Count > 0) throw YobaoxingCall.Fail(-1501, string.Join("|", qtyErrors));
        var today = call.Today;
        if (date < today) throw YobaoxingCall.Fail(-1, "解析实名用户数据失败。已超过当前门票预售时间。");
        if (date.DayNumber > today.DayNumber + Products.Horizon(call)) throw YobaoxingCall.Fail(-1, "解析实名用户数据失败。门票预售的日期不在指定时间范围内。");
        foreach (var (p, _) in lines)
            if (date.DayNumber < today.DayNumber + p.WebPreDays)
                throw YobaoxingCall.Fail(-1, "解析实名用户数据失败。门票预售的日期在生效日期之后。");
        if (call.Ctx.Has(Failures.DailyLimit)) throw YobaoxingCall.Fail(-10362, "已达到或接近当前客户单位最大单日预定限制，预定失败。");
        if (!call.Settings.TrackInventory) return;
        var unset = lines.Where(l => l.Product.DailyQuota < 0).Select(l => $"{l.Product.Id}|门票类型中单日最大许可未设置").ToList();
        if (unset.Count > 0) throw YobaoxingCall.Fail(-1502, string.Join("|", unset));
        var stock = call.Services.Stock.For(call.Tenant.Id);
        lock (stock)
        {
            var d = Products.Date(date);
            var full = lines.Where(l => l.Product.DailyQuota > 0 && stock.SoldOf(l.Product.Id, d) + l.Num > l.Product.DailyQuota)
                .Select(l => $"{l.Product.Id}|已达到或接近最大单日预定限制").ToList();
            if (full.Count > 0) throw YobaoxingCall.Fail(-10361, string.Join("|", full));
            var limit = call.Settings.Int("maxlimit", 0);
            if (limit > 0 && stock.Daily.GetValueOrDefault(Products.Date(today)) + lines.Sum(l => l.Num) > limit)
                throw YobaoxingCall.Fail(-10362, "已达到或接近当前客户单位最大单日预定限制，预定失败。");
        }
    }

    /// <summary>IDCount + Memo (§2.9): 证件号码^姓名^手机号码^产品序号^证件类型 records separated by '|'.</summary>
    public static List<RealName> RealNames(YobaoxingCall call, List<(Product Product, int Num)> lines)
    {
        var count = call.OptInt("IDCount") ?? 0;
        var memo = call.Dec("Memo");
        var list = new List<RealName>();
        if (count > 0 && memo is null) throw call.Bad("IDCount 大于0时必须填写 Memo（实名信息）");
        if (memo is not null)
            foreach (var record in memo.Split('|', StringSplitOptions.RemoveEmptyEntries))
            {
                var f = record.Split('^');
                if (f.Length < 4 || !int.TryParse(f[3], out var index) || index < 1 || index > lines.Count)
                    throw YobaoxingCall.Fail(-1, $"取票证件号码:\"{(f.Length > 0 ? f[0] : "")}\"有错误:实名记录应为 证件号码^姓名^手机号码^产品序号^证件类型");
                list.Add(new RealName(f[0].Trim(), f[1], f[2], index, f.Length > 4 && f[4].Length > 0 ? f[4] : "1"));
            }
        if (count > 0 && count != list.Count) throw YobaoxingCall.Fail(-1, "解析实名用户数据失败。登记的实名票中票数与人数不一致。");
        if (list.GroupBy(n => n.IdNumber, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            throw YobaoxingCall.Fail(-1, "身份证号码出现了重复，请检查输入的用户信息。");
        for (var i = 0; i < lines.Count; i++)
        {
            var named = list.Count(n => n.ProductIndex == i + 1);
            if (named > lines[i].Num) throw YobaoxingCall.Fail(-1, "解析实名用户数据失败。存在登记的实名票中票数超过了对应的票数的票种。");
            if (lines[i].Product.NeedName && named != lines[i].Num) throw YobaoxingCall.Fail(-1, "解析实名用户数据失败。要求实名制的票，没有给出相应的实名信息。");
        }
        var stock = call.Services.Stock.For(call.Tenant.Id);
        lock (stock)
            foreach (var n in list)
                if (lines[n.ProductIndex - 1].Product.NeedName && stock.Ids.ContainsKey(n.IdNumber))
                    throw YobaoxingCall.Fail(-1, $"该证件号码 \"{n.IdNumber} \" 在有效预订单中只允许预定一次。");
        return list;
    }

    /// <summary>Creates the order in its initial state, holds its stock and starts its machine (payment time limit).</summary>
    public static TicketOrder Create(YobaoxingCall call, Input input)
    {
        var s = call.Services;
        var machine = call.Ctx.Scenario.Machines.GetValueOrDefault(YobaoxingServices.OrderKind);
        var order = new TicketOrder
        {
            Id = s.NextOrderId(call.Now),
            Status = machine?.Initial ?? OrderStatus.Booking,
            CreatedMs = call.NowMs,
            UpdatedMs = call.NowMs,
            OrderTime = YobaoxingServices.Local(call.Now, "yyyyMMddHHmmss"),
            SenderId = input.SenderId,
            Mobile = input.Mobile,
            CardId = input.CardId,
            Sxrq = Products.Date(input.Sxrq),
            NeedInvoice = input.NeedInvoice,
            InvoiceTitle = input.InvoiceTitle,
            RealNames = input.RealNames,
            ServiceCode = input.ServiceCode,
            TimeSpanIndex = input.TimeSpanIndex,
            Lines = input.Lines.Select(l => new OrderLine
            {
                ProductId = l.Product.Id, ProductName = l.Product.Name, Num = l.Num, Unit = l.Product.Unit, Price = l.Product.Price,
                ServiceCode = call.Catalog.RouteOf(l.Product.Id)?.Code ?? "", ServiceName = call.Catalog.RouteOf(l.Product.Id)?.Name ?? "",
                TimeIndex = input.TimeSpanIndex,
            }).ToList(),
        };
        if (input.Seats is { } booking)
        {
            order.Theatre = true;
            order.TheaterId = booking.Theater.Id;
            order.SenceId = booking.Sence.Id;
        }
        order.Total = order.Lines.Sum(l => l.Price * l.Num);
        order.Tags.UnionWith(call.Ctx.Rules.Tags);
        if (call.Settings.Str("canpaywithcash", "0") == "1") order.Tags.Add("counter-pay");
        var stock = s.Stock.For(call.Tenant.Id);
        lock (stock)
        {
            // Seats first: the only hold that can still be refused here (taken since the checks), before anything else is held.
            if (input.Seats is { } seats) Theatre.HoldSeats(call, stock, order, seats);
            var tracked = call.Settings.TrackInventory;
            foreach (var (p, n) in input.Lines)
                if (tracked && p.DailyQuota > 0) Stock.Hold(call, stock, order, "sold", StockState.SoldKey(p.Id, order.Sxrq), n);
            if (tracked && call.Settings.Int("maxlimit", 0) > 0) Stock.Hold(call, stock, order, "daily", Products.Date(call.Today), order.Quantity);
            if (input.TimeSpanIndex is { } slot)
                Stock.Hold(call, stock, order, "slot", StockState.SlotKey(input.ServiceCode, order.Sxrq, slot), order.Quantity);
            foreach (var n in input.RealNames)
                if (input.Lines[n.ProductIndex - 1].Product.NeedName) Stock.Hold(call, stock, order, "id", n.IdNumber);
            if (order.Held.Count > 0) s.Stock.Save(call.Ctx.Uow, call.Tenant.Id, stock);
        }
        call.Ctx.EntityKey = YobaoxingServices.OrderKey(order.Id);
        s.Engine.Lifecycle.Start(call.Tenant, YobaoxingServices.Supplier, YobaoxingServices.OrderKind, order, call.Ctx.Uow,
            new JsonObject { ["status"] = order.Status, ["total"] = order.Total, ["senderid"] = order.SenderId, ["page"] = call.Page.Name });
        if (Notifications.ForOrderChanged(s, call.Tenant, order) is { } created) s.Engine.Callbacks.Enqueue(call.Ctx.Uow, created);
        return order;
    }

    /// <summary>The payment time limit in minutes: the machine's timed transition out of the initial state (0 = none).</summary>
    public static int PayTimeout(YobaoxingCall call, TicketOrder order)
    {
        if (!call.Ctx.Scenario.Machines.TryGetValue(YobaoxingServices.OrderKind, out var machine)) return 0;
        return machine.Timed(OrderStatus.Booking, order.Tags) is { After: { } after, To: OrderStatus.Closed } ? (int)after.TotalMinutes : 0;
    }

    public static XmlReply OrderItem(YobaoxingCall call, TicketOrder order)
    {
        var reply = call.Ok();
        reply.Open("Item");
        Header(call, reply, order);
        reply.Leaf("paytimeout", PayTimeout(call, order)).Leaf("orderstatus", order.Status);
        foreach (var l in order.Lines)
            reply.Open("subitem").Leaf("productid", l.ProductId).Leaf("productname", l.ProductName).Leaf("num", l.Num).Leaf("unit", l.Unit)
                .Money("price", l.Price).Leaf("productstatus", "1").Close("subitem");
        return reply.Close("Item");
    }

    public static void Header(YobaoxingCall call, XmlReply reply, TicketOrder order) =>
        reply.Leaf("orderid", order.Id).Leaf("ordertime", order.OrderTime)
            .Leaf("customertype", call.Tenant.Credential(YobaoxingServices.Supplier, "dwsx") ?? "2")
            .Leaf("customerid", call.Tenant.Credential(YobaoxingServices.Supplier, "dwid") ?? call.Tenant.Id)
            .Leaf("customername", call.Tenant.Name ?? call.Tenant.Id)
            .Leaf("description", order.TicketTypeDesc());
}
