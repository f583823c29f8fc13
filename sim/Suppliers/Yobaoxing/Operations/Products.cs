using System.Globalization;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// The scenic catalogue pages: GetProducts (§4.1), GetProductsInventory (§4.2), GetServiceItem (§4.38),
/// GetTimeSegment (§4.39) and GetProviderConfig (§4.37).
/// </summary>
static class Products
{
    const string NoProducts = "没有获取到相关的产品列表。";
    const string TheaterMode = "系统工作模式为 THEATER_MODE，不支持此项操作...";

    public static XmlReply GetProducts(YobaoxingCall call)
    {
        if (call.Settings.ProviderType == "2" && !call.Legacy) throw YobaoxingCall.Fail(-1, TheaterMode);
        var products = Sellable(call, call.Opt("ServiceCode")).ToList();
        if (products.Count == 0) throw YobaoxingCall.Fail(-1, NoProducts);
        var reply = call.Ok();
        var today = call.Today;
        foreach (var p in products)
        {
            reply.Open("Item")
                .Leaf("productid", p.Id).Leaf("productname", p.Name).Leaf("Classid", p.ClassId).Leaf("classname", p.ClassName)
                .Leaf("unit", p.Unit).Money("price", p.Price)
                .Leaf("initdate", Date(today)).Leaf("enddate", Date(today.AddDays(Horizon(call))))
                .Leaf("conditionsofsale", p.ConditionsOfSale).Leaf("minimum", p.Minimum).Leaf("maximum", p.Maximum)
                .Leaf("SimpleIDmaximum", p.SimpleIdMaximum).Leaf("shippingmethod", p.ShippingMethod)
                .Leaf("Preorder", p.Preorder).Leaf("PreorderDays", p.PreorderDays)
                .Leaf("EffectBegPeriod", "").Leaf("EffectEndPeriod", "").Leaf("EffectPeriodNegated", "0")
                .Leaf("webpredays", p.WebPreDays).Leaf("weblong", p.WebLong).Leaf("needname", p.NeedName ? "1" : "0")
                .Close("Item");
        }
        return reply;
    }

    /// <summary>Scenic products, narrowed to a route's products when a ServiceCode is given in time-slot mode.</summary>
    static IEnumerable<Product> Sellable(YobaoxingCall call, string? serviceCode)
    {
        var products = call.Catalog.ScenicProducts;
        if (serviceCode is null || !TimeSlotMode(call)) return products;
        var route = call.Catalog.Routes.FirstOrDefault(r => r.Code == serviceCode);
        return route is null ? [] : products.Where(p => route.ProductIds.Contains(p.Id));
    }

    public static int Horizon(YobaoxingCall call) => call.Settings.Int("horizonDays", 180);

    public static bool TimeSlotMode(YobaoxingCall call) => call.Settings.ProviderType == "1" && call.Settings.Str("sublevelmode", "1") == "1";

    public static XmlReply GetProductsInventory(YobaoxingCall call)
    {
        var legacy = call.Legacy;
        if (call.Settings.ProviderType == "2") throw legacy ? YobaoxingCall.Fail(-5, "系统暂不支持此函数") : YobaoxingCall.Fail(-1, TheaterMode);
        var start = ParseDate(call.Opt("StartDate"));
        var end = ParseDate(call.Opt("EndDate"));
        if (start is null || end is null) throw legacy ? call.Bad("StartDate/EndDate 必须是yyyyMMdd格式") : YobaoxingCall.Fail(-1, "传入的日期格式错误，请核查。");
        if (start > end) throw legacy ? YobaoxingCall.Fail(-4, "参数错误，当前参数中起始日期 大于 截止日期") : YobaoxingCall.Fail(-1, "起始日期不能在截止日期之后，请重新选择查询的日期时间。");
        if (end.Value.DayNumber - start.Value.DayNumber > 7)
            throw legacy ? YobaoxingCall.Fail(-3, "参数错误，当前参数中起始日期与截止日期相隔超过7个日历日") : YobaoxingCall.Fail(-1, "传入日期参数错误，仅允许一次性查询7天内的库存数据。");
        var products = Sellable(call, call.Opt("ServiceCode"));
        if (call.Opt("ProductID") is { } pid) products = products.Where(p => p.Id.Equals(pid, StringComparison.OrdinalIgnoreCase));
        var list = products.ToList();
        if (list.Count == 0)
            throw legacy
                ? YobaoxingCall.Fail(-2, "当前账户没有门票代理许可或没有当前门票代理许可(当前供应商的可售门票列表为空或者可售门票列表与参数中指定的门票类型没有交集)")
                : YobaoxingCall.Fail(-1, NoProducts);
        var stock = call.Services.Stock.For(call.Tenant.Id);
        var reply = call.Ok();
        lock (stock)
            foreach (var p in list)
                for (var d = start.Value; d <= end.Value; d = d.AddDays(1))
                {
                    reply.Open("Item").Leaf("productid", p.Id).Leaf("productname", p.Name).Leaf("date", Date(d))
                        .Leaf("quantity", Quantity(call, p, stock, Date(d))).Close("Item");
                }
        return reply;
    }

    /// <summary>V4: 0 unlimited, -1 sold out; legacy: -1 unlimited, 0 sold out (spec §9.36). Otherwise what is left.</summary>
    static int Quantity(YobaoxingCall call, Product p, StockState stock, string date)
    {
        var unlimited = call.Legacy ? -1 : 0;
        var soldOut = call.Legacy ? 0 : -1;
        if (p.DailyQuota <= 0 || !call.Settings.TrackInventory) return unlimited;
        var left = p.DailyQuota - stock.SoldOf(p.Id, date);
        return left <= 0 ? soldOut : left;
    }

    public static XmlReply GetServiceItem(YobaoxingCall call)
    {
        if (!TimeSlotMode(call)) throw YobaoxingCall.Fail(-1, Msg.Failed("供应商未启用分时段售检票，不能获取线路列表"));
        var routes = call.Catalog.Routes.AsEnumerable();
        if (call.Opt("productid") is { } pid) routes = routes.Where(r => r.ProductIds.Contains(pid, StringComparer.OrdinalIgnoreCase));
        var list = routes.ToList();
        if (list.Count == 0) throw YobaoxingCall.Fail(-1, call.Legacy ? Msg.Other : NoProducts);
        var reply = call.Ok();
        foreach (var r in list) reply.Open("Item").Leaf("ServiceCode", r.Code).Leaf("ServiceName", r.Name).Close("Item");
        return reply;
    }

    public static XmlReply GetTimeSegment(YobaoxingCall call)
    {
        var legacy = call.Legacy;
        var today = call.Today;
        var startText = call.Opt("startdate");
        var endText = call.Opt("enddate");
        var start = startText is null ? today : ParseDate(startText) ?? throw call.Bad("startdate 必须是yyyyMMdd格式");
        var end = endText is null ? start : ParseDate(endText) ?? throw call.Bad("enddate 必须是yyyyMMdd格式");
        if (startText is null && endText is not null) start = today;
        if (end < start) throw call.Bad("startdate 不能晚于 enddate");
        if (end.DayNumber - start.DayNumber >= 7)
            throw legacy ? YobaoxingCall.Fail(-1, Msg.Failed("一次检索的时段数据不能超过7个日历日")) : YobaoxingCall.Fail(-2351, "一次检索的时段数据不能超过7个日历日");
        var serviceCode = call.Opt("servicecode");
        if (legacy && serviceCode is null) throw call.Bad("servicecode 不能为空");
        var counter = call.Opt("resourcetype") == "1";
        var routes = call.Catalog.Routes.Where(r => serviceCode is null || r.Code == serviceCode).ToList();
        if (!TimeSlotMode(call) || routes.Count == 0 || call.Catalog.TimeSegments.Count == 0)
            throw legacy ? YobaoxingCall.Fail(-1, Msg.Other) : YobaoxingCall.Fail(-2352, "没有检索到符合条件的时段数据");
        var stock = call.Services.Stock.For(call.Tenant.Id);
        var reply = call.Ok();
        lock (stock)
            foreach (var r in routes)
                for (var d = start; d <= end; d = d.AddDays(1))
                    foreach (var s in call.Catalog.TimeSegments)
                    {
                        var capacity = counter ? s.TotalCapacity - s.Capacity : s.Capacity;
                        var used = counter ? 0 : stock.Slots.GetValueOrDefault(StockState.SlotKey(r.Code, Date(d), s.Index));
                        reply.Open("Item").Leaf("ServiceCode", r.Code).Leaf("ServiceName", r.Name).Leaf("Date", Date(d))
                            .Leaf("TimeSpanIndex", s.Index).Leaf("StartTime", s.Start).Leaf("EndTime", s.End)
                            .Leaf("TotalCapacity", s.TotalCapacity).Leaf("Capacity", capacity).Leaf("UsedCount", used).Close("Item");
                    }
        return reply;
    }

    public static XmlReply GetProviderConfig(YobaoxingCall call)
    {
        var s = call.Settings;
        var type = s.ProviderType;
        var activateable = s.Str("activateable", "1");
        if (type is not ("1" or "2"))
            throw call.Legacy ? YobaoxingCall.Fail(-1, Msg.Other) : YobaoxingCall.Fail(-2341, "系统内供应商（T_JQ）设置不正确：不存在设置数据或存在多个冲突的设置");
        if (activateable is not ("0" or "1" or "2"))
            throw call.Legacy ? YobaoxingCall.Fail(-1, Msg.Other) : YobaoxingCall.Fail(-2342, "系统内有关是否允许激活的参数设置错误");
        var reply = call.Ok();
        reply.Open("Item")
            .Leaf("providerid", call.Catalog.ProviderId).Leaf("providername", call.Catalog.ProviderName)
            .Leaf("type", type).Leaf("sublevelmode", TimeSlotMode(call) ? "1" : "0")
            .Leaf("feemode", s.Str("feemode", "1"));
        reply.Open("feeitems");
        if (s.Str("feemode", "1") == "1")
            foreach (var f in call.Catalog.Fees)
            {
                reply.Open("feeitem").Leaf("productid", f.ProductId);
                if (!call.Legacy) reply.Leaf("productname", f.ProductName);
                reply.Leaf("unitcount", f.UnitCount).Leaf("unit", f.Unit).Leaf("referencetime", "A").Leaf("feecalmode", f.FeeCalMode)
                    .Leaf("feevalue", f.FeeValue.ToString("0.##", CultureInfo.InvariantCulture)).Close("feeitem");
            }
        reply.Close("feeitems")
            .Leaf("activateable", activateable).Leaf("tickettype", s.Str("tickettype", "3"))
            .Leaf("canpaywithcash", s.Str("canpaywithcash", "0")).Leaf("canpaywithyfk", s.Str("canpaywithyfk", "1"))
            .Leaf("canpaywithfk", s.Str("canpaywithfk", "1")).Leaf("canpaywithepay", s.Str("canpaywithepay", "1"))
            .Leaf("maxlimit", s.Int("maxlimit", 0));
        if (!call.Legacy) reply.Leaf("payandactive", s.Str("payandactive", "0")).Leaf("activerefund", s.Str("activerefund", "1"));
        return reply.Close("Item");
    }

    /// <summary>
    /// QueryPruductStatus (§4.12, "暂停使用"): the document defines no status values; the sandbox answers 1 while the
    /// product can be booked for today and 0 once today's inventory is gone.
    /// </summary>
    public static XmlReply QueryPruductStatus(YobaoxingCall call)
    {
        var id = call.Opt("Productid") ?? call.Opt("product_serial") ?? throw call.Bad("Productid 不能为空");
        var p = call.Catalog.Product(id) ?? throw YobaoxingCall.Fail(-1, Msg.Failed("产品不存在"));
        var stock = call.Services.Stock.For(call.Tenant.Id);
        int sold;
        lock (stock) sold = stock.SoldOf(p.Id, Date(call.Today));
        var open = p.DailyQuota <= 0 || !call.Settings.TrackInventory || sold < p.DailyQuota;
        return call.Ok().Open("item").Leaf("productid", p.Id).Leaf("productstatus", open ? "1" : "0").Close("item");
    }

    public static string Date(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDate(string? s) =>
        s is not null && DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
