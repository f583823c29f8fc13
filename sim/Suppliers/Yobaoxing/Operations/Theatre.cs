using System.Globalization;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// The theatre (seat mode) pages: GetProducts2 (§4.3), QueryTheaterList (§4.17), QueryTheaterSenceList (§4.18),
/// QuerySeatAreaList (§4.19), QueryRowsAndSeatsList (§4.20), QuerySeatsState (§4.21) and the theatre bookings
/// OrderProducts2 (§4.5), OrderAndPayWithYDJ2 (§4.47), OrderAndPayWithFK2 (§4.46). Every session plays every day;
/// internet sales of a session stop <c>sellEndingMinutes</c> (30) before it starts. A seat is held by the order that
/// booked it from booking until the order closes: state S while the order is unpaid, B once paid or delivered.
/// </summary>
static class Theatre
{
    /// <summary>A theatre booking's session and the seats chosen (null: the supplier assigns them, 官方订座模式).</summary>
    public sealed record SeatBooking(Theater Theater, Sence Sence, SeatArea Area, IReadOnlyList<Seat>? Chosen);

    const string Done = "操作成功";
    const string Missing = "缺少参数，操作失败......";

    /// <summary>A required 3DES parameter of the seat pages: absent → 缺少参数, not decryptable → 参数异常.</summary>
    static string Param(YobaoxingCall call, string name)
    {
        var raw = call.Opt(name) ?? throw YobaoxingCall.Fail(-1, Missing);
        return YobaoxingCrypto.Decrypt(raw, call.Key) ?? throw YobaoxingCall.Fail(-1, $"参数异常。错误：{name} 不是用KEY进行TripleDes加密后的密文");
    }

    static DateOnly DateParam(YobaoxingCall call, string name) =>
        Products.ParseDate(Param(call, name)) ?? throw YobaoxingCall.Fail(-1, $"参数异常。错误：{name} 应为YYYYMMDD");

    public static TimeOnly Time(string hhmm) =>
        hhmm.Length == 4 && int.TryParse(hhmm[..2], out var h) && int.TryParse(hhmm[2..], out var m) ? new TimeOnly(h % 24, m % 60) : TimeOnly.MinValue;

    static string Hhmm(TimeOnly t) => t.ToString("HHmm", CultureInfo.InvariantCulture);

    static TimeOnly SellEnding(YobaoxingCall call, Sence s) => Time(s.Start).AddMinutes(-call.Settings.Int("sellEndingMinutes", 30));

    /// <summary>Internet sales of the session on <paramref name="date"/> are still open (a past date never is).</summary>
    static bool OnSale(YobaoxingCall call, Sence s, DateOnly date)
    {
        var today = call.Today;
        if (date != today) return date > today;
        return TimeOnly.FromDateTime(call.Now.ToOffset(YobaoxingServices.China).DateTime) < SellEnding(call, s);
    }

    public static XmlReply QueryTheaterList(YobaoxingCall call)
    {
        if (call.Catalog.Theaters.Count == 0) throw YobaoxingCall.Fail(-1, "没有找到任何园区(剧场)的定义数据。");
        var reply = call.Ok(Done);
        foreach (var t in call.Catalog.Theaters) reply.Open("item").Leaf("TheaterID", t.Id).Leaf("TheaterName", t.Name).Close("item");
        return reply;
    }

    /// <summary>Sessions still on sale that day ("只返回当前可用的场次").</summary>
    public static XmlReply QueryTheaterSenceList(YobaoxingCall call)
    {
        var theaterId = Param(call, "TheaterID");
        var date = DateParam(call, "TicketDate");
        var sences = call.Catalog.Theater(theaterId)?.Sences.Where(s => OnSale(call, s, date)).ToList() ?? [];
        if (sences.Count == 0) throw YobaoxingCall.Fail(-1, "没有找到场次的定义数据。");
        var reply = call.Ok(Done);
        foreach (var s in sences)
            reply.Open("item").Leaf("TheaterID", theaterId).Leaf("SenceID", s.Id).Leaf("SenceName", s.Name).Leaf("StartTime", s.Start).Leaf("EndTime", s.End)
                .Leaf("SellEndingTime", Hhmm(SellEnding(call, s))).Leaf("StartCheckTime", Hhmm(Time(s.Start).AddMinutes(-60))).Leaf("EndCheckTime", s.End)
                .Close("item");
        return reply;
    }

    public static XmlReply QuerySeatAreaList(YobaoxingCall call)
    {
        var productId = Param(call, "ProductID");
        var senceId = Param(call, "SenceID");
        var date = Products.Date(DateParam(call, "TicketDate"));
        var sence = call.Catalog.Sence(senceId);
        var areas = sence?.Theater.Areas.Where(a => a.ProductId.Equals(productId, StringComparison.OrdinalIgnoreCase)).ToList() ?? [];
        if (sence is null || areas.Count == 0) throw YobaoxingCall.Fail(-1, "没有找到座位区域的定义数据。");
        var stock = call.Services.Stock.For(call.Tenant.Id);
        var reply = call.Ok(Done);
        lock (stock)
            foreach (var a in areas)
            {
                var seats = a.Seats.ToList();
                reply.Open("item").Leaf("SeatAreaID", a.Id).Leaf("SeatAreaName", a.Name).Leaf("COLOR", a.Color).Leaf("SeatsCount", seats.Count)
                    .Leaf("FreeSeatsCount", seats.Count(s => !stock.Seats.ContainsKey(StockState.SeatKey(senceId, date, s.Id)))).Close("item");
            }
        return reply;
    }

    /// <summary>The seat view: rows 40 units apart, seats 30 units wide, centred; each row's seats a linked list.</summary>
    public static XmlReply QueryRowsAndSeatsList(YobaoxingCall call)
    {
        var areaId = Param(call, "SeatAreaID");
        var area = call.Catalog.Area(areaId)?.Area ?? throw YobaoxingCall.Fail(-1, "没有找到座位视图的定义数据。");
        var widest = area.Rows.Max(r => r.Seats.Count);
        var reply = call.Ok(Done);
        foreach (var (row, index) in area.Rows.Select((r, i) => (r, i)))
        {
            reply.Open("item").Leaf("SeatRowID", row.Id).Leaf("SeatRowNum", row.Name).Leaf("X", (widest - row.Seats.Count) * 15).Leaf("Y", index * 40)
                .Leaf("W", row.Seats.Count * 30).Leaf("H", 30).Leaf("SeatWidth", 30).Leaf("SeatHeight", 30).Leaf("SeatAlig", "M")
                .Leaf("FirstSeat", row.Seats.FirstOrDefault()?.Id ?? "").Open("Seats");
            for (var i = 0; i < row.Seats.Count; i++)
                reply.Open("Item").Leaf("SeatID", row.Seats[i].Id).Leaf("SeatNum", row.Seats[i].Name)
                    .Leaf("NextSeatID", i + 1 < row.Seats.Count ? row.Seats[i + 1].Id : "").Close("Item");
            reply.Close("Seats").Close("item");
        }
        return reply;
    }

    public static XmlReply QuerySeatsState(YobaoxingCall call)
    {
        var areaId = Param(call, "SeatAreaID");
        var senceId = Param(call, "SenceID");
        var date = Products.Date(DateParam(call, "TicketDate"));
        var found = call.Catalog.Area(areaId);
        if (found is null || call.Catalog.Sence(senceId) is not { } sence || sence.Theater != found.Value.Theater)
            throw YobaoxingCall.Fail(-1, "没有找到座位视图的定义数据。");
        var stock = call.Services.Stock.For(call.Tenant.Id);
        var reply = call.Ok(Done);
        List<(string Seat, string? Order)> states;
        lock (stock) states = found.Value.Area.Seats.Select(s => (s.Id, stock.Seats.GetValueOrDefault(StockState.SeatKey(senceId, date, s.Id)))).ToList();
        foreach (var (seat, order) in states) reply.Open("Item").Leaf("SeatID", seat).Leaf("SeatState", State(call, order)).Close("Item");
        return reply;
    }

    static string State(YobaoxingCall call, string? orderId)
    {
        if (orderId is null) return "1";
        var order = call.Services.Orders.Get(call.Tenant.Id, orderId);
        if (order is null) return "B";
        lock (order) return order.Status == OrderStatus.Booking ? "S" : "B";
    }

    /// <summary>One Item per seat-area product × session × date, with the free seats (enablecount) of that performance.</summary>
    public static XmlReply GetProducts2(YobaoxingCall call)
    {
        string? Opt(string name)
        {
            var raw = call.Opt(name);
            if (raw is null) return null;
            return YobaoxingCrypto.Decrypt(raw, call.Key) ?? throw YobaoxingCall.Fail(-1, $"创建访问参数失败。错误:{name} 不是用KEY进行TripleDes加密后的密文");
        }
        DateOnly? OptDate(string name) =>
            Opt(name) is { } d ? Products.ParseDate(d) ?? throw YobaoxingCall.Fail(-1, $"创建访问参数失败。错误:{name} 应为YYYYMMDD") : null;
        var theaterId = Opt("TheaterID");
        var senceId = Opt("SceneID") ?? Opt("SenceID");
        var first = OptDate("TicketDate");
        var second = OptDate("TicketDate2");
        var today = call.Today;
        var (from, to) = (first, second) switch
        {
            (null, null) => (today, today.AddDays(2)),
            ({ } f, null) => (f, f),
            ({ } f, { } t) => (f, t),
            (null, { } t) => (t, t),
        };
        if (to.DayNumber - from.DayNumber > 31) throw YobaoxingCall.Fail(-1, "创建访问参数失败。错误:TicketDate 与 TicketDate2 相隔不能超过31日");
        var stock = call.Services.Stock.For(call.Tenant.Id);
        var reply = call.Ok();
        var count = 0;
        foreach (var t in call.Catalog.Theaters.Where(t => theaterId is null || t.Id == theaterId))
        foreach (var s in t.Sences.Where(s => senceId is null || s.Id == senceId))
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (!OnSale(call, s, d)) continue;
            foreach (var a in t.Areas)
            {
                var p = call.Catalog.Product(a.ProductId)!;
                var date = Products.Date(d);
                int free;
                lock (stock) free = a.Seats.Count(x => !stock.Seats.ContainsKey(StockState.SeatKey(s.Id, date, x.Id)));
                reply.Open("Item").Leaf("productid", p.Id).Leaf("productname", p.Name).Leaf("Classid", p.ClassId).Leaf("classname", p.ClassName)
                    .Leaf("theaterid", t.Id).Leaf("theatername", t.Name).Leaf("sceneid", s.Id).Leaf("scenename", s.Name)
                    .Leaf("scenenstarttime", s.Start).Leaf("scenenendtime", s.End).Leaf("ticketdate", date).Leaf("enablecount", free)
                    .Leaf("unit", p.Unit).Money("price", p.Price).Leaf("conditionsofsale", p.ConditionsOfSale).Leaf("minimum", p.Minimum)
                    .Leaf("maximum", p.Maximum).Leaf("SimpleIDmaximum", p.SimpleIdMaximum).Leaf("shippingmethod", p.ShippingMethod)
                    .Leaf("Preorder", p.Preorder).Leaf("PreorderDays", p.PreorderDays).Leaf("EffectBegPeriod", "").Leaf("EffectEndPeriod", "")
                    .Leaf("EffectPeriodNegated", "0").Leaf("webpredays", p.WebPreDays).Leaf("weblong", p.WebLong).Leaf("needname", p.NeedName ? "1" : "0")
                    .Close("Item");
                count++;
            }
        }
        if (count == 0) throw YobaoxingCall.Fail(-1, "没有获取到相关的产品列表。");
        return reply;
    }

    public static XmlReply OrderProducts2(YobaoxingCall call)
    {
        var order = Booking.Create(call, Parse(call, call.Opt("senderid") ?? ""));
        return Booking.OrderItem(call, order);
    }

    /// <summary>
    /// The document defines <c>senderid</c> twice on these pages (§9.62): a required 3DES 接口方订单号 and an optional plain
    /// 业务单据ID. The sandbox reads the one parameter as the 3DES id, and as plain text when it does not decrypt.
    /// </summary>
    static string SenderId(YobaoxingCall call)
    {
        var raw = call.Opt("senderid") ?? throw call.Bad("senderid 不能为空");
        return YobaoxingCrypto.Decrypt(raw, call.Key) ?? raw;
    }

    public static XmlReply OrderAndPayWithYDJ2(YobaoxingCall call) =>
        Booking.OrderAndPay(call, Payments.Kind.Deposit, "senderid", SenderId(call), Parse, "Order_id");

    public static XmlReply OrderAndPayWithFK2(YobaoxingCall call) =>
        Booking.OrderAndPay(call, Payments.Kind.Rebate, "senderid", SenderId(call), Parse, "order_id");

    /// <summary>
    /// A theatre booking: one seat area (ticket type) per order ("单次定票只能订同一个座位区域"), the session of TicketDate,
    /// and SeatInfo seats of that area and count — or, without SeatInfo or when settings.seatSelection is "official"
    /// (官方订座模式), the first free seats of the area, row by row.
    /// </summary>
    static Booking.Input Parse(YobaoxingCall call, string senderId)
    {
        var lines = Booking.OrderList(call, call.Opt("Order_list") ?? throw YobaoxingCall.Fail(-1, "没有设置产品列表项，请先设置......"));
        if (lines.Count > 1) throw YobaoxingCall.Fail(-1, "暂时一个订单只支持一个门票种类，请检查......");
        var mobile = call.ReqDec("mobile");
        var card = call.ReqDec("ID");
        var date = call.ReqDate("TicketDate", call.ReqDec("TicketDate"));
        var senceId = call.ReqDec("SenceID");
        var (product, num) = lines[0];
        var found = call.Catalog.Sence(senceId) ?? throw YobaoxingCall.Fail(-1, "场次错误,没有找到对应的场次定义。");
        var area = found.Theater.Areas.FirstOrDefault(a => a.ProductId.Equals(product.Id, StringComparison.OrdinalIgnoreCase))
                   ?? (product.Theatre ? throw YobaoxingCall.Fail(-1, "场次错误。错误原因：门票类型不属于该场次的剧场") : null);
        Booking.CheckLines(call, lines, date, theatre: true);
        if (!OnSale(call, found.Sence, date)) throw YobaoxingCall.Fail(-1, "当前场次已超过最后预定时间,请到前台购票,互联网已停止该场次的预定。");
        IReadOnlyList<Seat>? chosen = null;
        if (call.Opt("SeatInfo") is not null && !call.Settings.Str("seatSelection", "agent").Equals("official", StringComparison.OrdinalIgnoreCase))
        {
            var text = call.Dec("SeatInfo")!;
            var seats = new List<Seat>();
            SeatArea? seatArea = null;
            foreach (var id in text.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var seat = call.Catalog.Seat(id) ?? throw YobaoxingCall.Fail(-1, $"座位列表解析失败。错误：座位 {id} 不存在");
                if (seat.Theater != found.Theater) throw YobaoxingCall.Fail(-1, "无法确定座位区域。");
                seatArea ??= seat.Area;
                if (seat.Area != seatArea) throw YobaoxingCall.Fail(-1, "单次定票只能订同一个座位区域的多个座位。");
                if (seats.Any(s => s.Id == seat.Seat.Id)) throw YobaoxingCall.Fail(-1, $"座位列表解析失败。错误：座位 {id} 重复");
                seats.Add(seat.Seat);
            }
            if (seats.Count != num) throw YobaoxingCall.Fail(-1, "订单提交的座位数量与预定门票数量不相符......");
            if (seatArea != area) throw YobaoxingCall.Fail(-1, "门票类型与座位列表没有对应关系。");
            chosen = seats;
        }
        var booking = new SeatBooking(found.Theater, found.Sence, area!, chosen);
        var stock = call.Services.Stock.For(call.Tenant.Id);
        lock (stock) Free(call, stock, booking, num, Products.Date(date));
        var realNames = Booking.RealNames(call, lines);
        return new Booking.Input(lines, mobile, card, date, call.Opt("NeedInvoice") == "1", call.Dec("InvoiceTitle") ?? "", realNames, senderId, "", null, booking);
    }

    /// <summary>The seats the booking gets, all free now; refused as taken (chosen seats) or sold out (assigned seats). Call under the stock lock.</summary>
    static List<Seat> Free(YobaoxingCall call, StockState stock, SeatBooking b, int num, string date)
    {
        bool Taken(Seat s) => stock.Seats.ContainsKey(StockState.SeatKey(b.Sence.Id, date, s.Id));
        if (b.Chosen is { } chosen)
        {
            var taken = chosen.Where(Taken).Select(s => Name(call, s.Id)).ToList();
            if (taken.Count > 0) throw YobaoxingCall.Fail(-1, $"座位列表解析失败。错误：座位 {string.Join("、", taken)} 已售出或正在预定中");
            return [.. chosen];
        }
        var free = b.Area.Seats.Where(s => !Taken(s)).Take(num).ToList();
        if (free.Count < num) throw YobaoxingCall.Fail(-10361, $"{b.Area.ProductId}|已达到或接近最大单日预定限制");
        return free;
    }

    /// <summary>Holds the booking's seats on the new order (under the stock lock, first of its holds).</summary>
    public static void HoldSeats(YobaoxingCall call, StockState stock, TicketOrder order, SeatBooking b)
    {
        var line = order.Lines[0];
        var seats = Free(call, stock, b, line.Num, order.Sxrq);
        foreach (var s in seats) Stock.Hold(call, stock, order, "seat", StockState.SeatKey(b.Sence.Id, order.Sxrq, s.Id));
        line.Seats = seats.Select(s => s.Id).ToList();
        line.SeatDesc = $"{b.Sence.Name}{Time(b.Sence.Start):HH:mm} " + string.Join(",", seats.Select(s => Name(call, s.Id)));
    }

    /// <summary>"B区3排7座".</summary>
    public static string Name(YobaoxingCall call, string seatId) =>
        call.Catalog.Seat(seatId) is { } s ? $"{s.Area.Name}{s.Row.Name}{s.Seat.Name}" : seatId;
}
