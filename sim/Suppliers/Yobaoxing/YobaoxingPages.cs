using Sandbox.Suppliers.Yobaoxing.Operations;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing;

/// <summary>The pages this module serves, with the flags of spec §1.1 (V4.0 kept, V4 common retcodes).</summary>
public static class YobaoxingPages
{
    public static readonly Page[] All =
    [
        new("GetProducts", Products.GetProducts, Description: "§4.2.1 scenic products (ticket types)"),
        new("GetProductsInventory", Products.GetProductsInventory, Description: "§4.2.2 per-day inventory"),
        new("OrderProducts", Booking.OrderProducts, Booking: true, Description: "§4.2.4 create a booking (status 0)"),
        new("QueryOrder", Orders.QueryOrder, CommonCodes: true, Description: "§4.2.8 one order with details"),
        new("QueryOrdersList", Orders.QueryOrdersList, CommonCodes: true, Description: "§4.2.9 order list, one page"),
        new("QueryOrderPageListCount", Orders.QueryOrderPageListCount, CommonCodes: true, Description: "§4.2.10 order list page count"),
        new("CancelOrder", Orders.CancelOrder, CommonCodes: true, Description: "§4.2.15 cancel / close an order (penalty fees)"),
        new("UseAccountToPayByPwd", Authorisation.UseAccountToPayByPwd, CommonCodes: true, Description: "§4.2.27 deposit authorisation with the payment password"),
        new("OrderAndPayWithYDJ", Booking.OrderAndPayWithYDJ, Booking: true, Description: "§4.2.37 order + deposit authorisation, idempotent on XCDDH"),
        new("GetProviderConfig", Products.GetProviderConfig, CommonCodes: true, Description: "§4.2.38 supplier interface settings"),
        new("GetServiceItem", Products.GetServiceItem, Description: "§4.2.39 routes (service items)"),
        new("GetTimeSegment", Products.GetTimeSegment, CommonCodes: true, Description: "§4.2.40 time slots and capacities"),
        new("ActivateTicket", Tickets.ActivateTicket, Description: "§4.2.41 remote activation (ticket collection)"),
        new("GetTicketList", Tickets.GetTicketList, Description: "§4.2.42 sell bill and tickets of an order"),
        new("SetAgentParameters", Agent.SetAgentParameters, CommonCodes: true, Description: "§4.2.44 callback address, official SMS switch"),
        new("OrderAndPayWithFK", Booking.OrderAndPayWithFK, V4Dropped: true, Booking: true, Description: "§4.2.46 order + rebate authorisation, idempotent on senderid"),
        new("QueryTicketCheckList", Tickets.QueryTicketCheckList, Description: "§4.2.47 gate-check records of a ticket"),
    ];
}
