using System.Globalization;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>Holding and releasing what an order consumes: inventory, the agent's daily allowance, slots, seats, real-name IDs.</summary>
static class Stock
{
    /// <summary>Records a hold on the order; call under the stock's lock and save the stock afterwards.</summary>
    public static void Hold(YobaoxingCall call, StockState stock, TicketOrder order, string kind, string key, int count = 1)
    {
        switch (kind)
        {
            case "sold": stock.Add(stock.Sold, key, count); break;
            case "daily": stock.Add(stock.Daily, key, count); break;
            case "slot": stock.Add(stock.Slots, key, count); break;
            case "seat": stock.Seats[key] = order.Id; break;
            case "id": stock.Ids[key] = order.Id; break;
        }
        order.Held.Add($"{kind}|{key}|{count.ToString(CultureInfo.InvariantCulture)}");
    }

    public static void Release(YobaoxingCall call, TicketOrder order, params string[] kinds) =>
        Release(call.Services, call.Ctx.Uow, call.Tenant.Id, order, kinds);

    /// <summary>Gives back the order's holds of the given kinds (all kinds when none are named).</summary>
    public static void Release(YobaoxingServices services, UnitOfWork uow, string tenant, TicketOrder order, params string[] kinds)
    {
        var released = order.Held.Where(h => kinds.Length == 0 || kinds.Contains(h[..h.IndexOf('|')])).ToList();
        if (released.Count == 0) return;
        var stock = services.Stock.For(tenant);
        lock (stock)
        {
            foreach (var h in released)
            {
                var parts = h.Split('|');
                var kind = parts[0];
                var count = int.Parse(parts[^1], CultureInfo.InvariantCulture);
                var key = string.Join('|', parts[1..^1]);
                switch (kind)
                {
                    case "sold": stock.Add(stock.Sold, key, -count); break;
                    case "daily": stock.Add(stock.Daily, key, -count); break;
                    case "slot": stock.Add(stock.Slots, key, -count); break;
                    case "seat":
                        if (stock.Seats.GetValueOrDefault(key) == order.Id) stock.Seats.Remove(key);
                        break;
                    case "id":
                        if (stock.Ids.GetValueOrDefault(key) == order.Id) stock.Ids.Remove(key);
                        break;
                }
                order.Held.Remove(h);
            }
            services.Stock.Save(uow, tenant, stock);
        }
    }

    /// <summary>
    /// A slot of the route with room for <paramref name="persons"/>: the given index, or the earliest. With
    /// <c>inventory: unlimited</c> slots have no capacity limit either.
    /// </summary>
    public static TimeSegment? PickSlot(YobaoxingCall call, StockState stock, string route, string date, int persons, int? index)
    {
        var unlimited = !call.Settings.TrackInventory;
        foreach (var s in call.Catalog.TimeSegments)
        {
            if (index is not null && s.Index != index) continue;
            if (unlimited || s.Capacity - stock.Slots.GetValueOrDefault(StockState.SlotKey(route, date, s.Index)) >= persons) return s;
        }
        return null;
    }
}
