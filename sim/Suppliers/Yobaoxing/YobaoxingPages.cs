using Sandbox.Suppliers.Yobaoxing.Operations;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing;

/// <summary>The pages this module serves, with the flags of spec §1.1 (V4.0 kept, V4 common retcodes) and the payment platforms' notify pages (§1.2).</summary>
public static class YobaoxingPages
{
    public static readonly Page[] All =
    [
        new("GetProducts", Products.GetProducts, Description: "§4.2.1 scenic products (ticket types)"),
        new("GetProductsInventory", Products.GetProductsInventory, Description: "§4.2.2 per-day inventory"),
        new("GetProducts2", Theatre.GetProducts2, V4Dropped: true, Description: "§4.2.3 theatre products per session and date, with free seats"),
        new("OrderProducts", Booking.OrderProducts, Booking: true, Description: "§4.2.4 create a booking (status 0)"),
        new("OrderProducts2", Theatre.OrderProducts2, V4Dropped: true, Description: "§4.2.5 theatre booking: session and seats (status 0)"),
        new("GetPayChannel", InstantPay.GetPayChannel, Description: "§4.2.6 instant-payment channels"),
        new("BeginToPay", InstantPay.BeginToPay, V4Dropped: true, Description: "§4.2.7 open an instant payment (trade number for the platform)"),
        new("QueryOrder", Orders.QueryOrder, CommonCodes: true, Description: "§4.2.8 one order with details"),
        new("QueryOrdersList", Orders.QueryOrdersList, CommonCodes: true, Description: "§4.2.9 order list, one page"),
        new("QueryOrderPageListCount", Orders.QueryOrderPageListCount, CommonCodes: true, Description: "§4.2.10 order list page count"),
        new("ReadyToPay", Authorisation.ReadyToPay, Description: "§4.2.13 SMS code for deposit authorisation"),
        new("UseAccountToPay", Authorisation.UseAccountToPay, CommonCodes: true, Description: "§4.2.14 deposit authorisation with the SMS code"),
        new("CancelOrder", Orders.CancelOrder, CommonCodes: true, Description: "§4.2.15 cancel / close an order (penalty fees)"),
        new("QueryTheaterList", Theatre.QueryTheaterList, V4Dropped: true, Description: "§4.2.17 theatres"),
        new("QueryTheaterSenceList", Theatre.QueryTheaterSenceList, V4Dropped: true, Description: "§4.2.18 sessions of a theatre still on sale that day"),
        new("QuerySeatAreaList", Theatre.QuerySeatAreaList, V4Dropped: true, Description: "§4.2.19 seat areas with free seats"),
        new("QueryRowsAndSeatsList", Theatre.QueryRowsAndSeatsList, V4Dropped: true, Description: "§4.2.20 rows and seats (linked lists) of an area"),
        new("QuerySeatsState", Theatre.QuerySeatsState, V4Dropped: true, Description: "§4.2.21 live seat states of an area for a performance"),
        new("ReadyToPayByFK", Authorisation.ReadyToPayByFK, V4Dropped: true, Description: "§4.2.23 SMS code for rebate authorisation"),
        new("UseAccountToPayByFK", Authorisation.UseAccountToPayByFK, CommonCodes: true, V4Dropped: true, Description: "§4.2.24 rebate authorisation with the SMS code"),
        new("GetVerificationCode", Authorisation.GetVerificationCode, Signed: false, Description: "§4.2.25 SMS code for changing the payment password"),
        new("ChangePayPwd", Authorisation.ChangePayPwd, CommonCodes: true, Signed: false, Description: "§4.2.26 change the payment password"),
        new("UseAccountToPayByPwd", Authorisation.UseAccountToPayByPwd, CommonCodes: true, Description: "§4.2.27 deposit authorisation with the payment password"),
        new("QueryYFKRec", Accounts.QueryYFKRec, Description: "§4.2.29 deposit balance (this month)"),
        new("QueryYFKJYRecCount", Accounts.QueryYFKJYRecCount, V4Dropped: true, Description: "§4.2.30 deposit transactions, page count"),
        new("QueryYFKJYRec", Accounts.QueryYFKJYRec, V4Dropped: true, Description: "§4.2.31 deposit transactions, one page"),
        new("QueryFKRec", Accounts.QueryFKRec, V4Dropped: true, Description: "§4.2.32 rebate balance (this year)"),
        new("QueryFKJYRecCount", Accounts.QueryFKJYRecCount, V4Dropped: true, Description: "§4.2.33 rebate transactions, page count"),
        new("QueryFKJYRec", Accounts.QueryFKJYRec, V4Dropped: true, Description: "§4.2.34 rebate transactions, one page"),
        new("OrderAndPayWithYDJ", Booking.OrderAndPayWithYDJ, Booking: true, Description: "§4.2.37 order + deposit authorisation, idempotent on XCDDH"),
        new("GetProviderConfig", Products.GetProviderConfig, CommonCodes: true, Description: "§4.2.38 supplier interface settings"),
        new("GetServiceItem", Products.GetServiceItem, Description: "§4.2.39 routes (service items)"),
        new("GetTimeSegment", Products.GetTimeSegment, CommonCodes: true, Description: "§4.2.40 time slots and capacities"),
        new("ActivateTicket", Tickets.ActivateTicket, Description: "§4.2.41 remote activation (ticket collection)"),
        new("GetTicketList", Tickets.GetTicketList, Description: "§4.2.42 sell bill and tickets of an order"),
        new("SetAgentParameters", Agent.SetAgentParameters, CommonCodes: true, Description: "§4.2.44 callback address, official SMS switch"),
        new("OrderAndPayWithFK", Booking.OrderAndPayWithFK, V4Dropped: true, Booking: true, Description: "§4.2.46 order + rebate authorisation, idempotent on senderid"),
        new("QueryTicketCheckList", Tickets.QueryTicketCheckList, Description: "§4.2.47 gate-check records of a ticket"),
        new("OrderAndPayWithFK2", Theatre.OrderAndPayWithFK2, V4Dropped: true, Booking: true, Description: "§4.2.48 theatre order + rebate authorisation, idempotent on senderid"),
        new("OrderAndPayWithYDJ2", Theatre.OrderAndPayWithYDJ2, V4Dropped: true, Booking: true, Description: "§4.2.49 theatre order + deposit authorisation, idempotent on senderid"),
        new("UseAccountToPayByFKWithPwd", Authorisation.UseAccountToPayByFKWithPwd, CommonCodes: true, V4Dropped: true, Description: "§4.2.50 rebate authorisation with the payment password"),
        new("notify_url", InstantPay.AlipayNotify, Platform: PaymentPlatform.Alipay, Description: "§4.2.22 Alipay receipt/refund notification (payment platform)"),
        new("notify_Payback_url", InstantPay.AlipayNotify, Platform: PaymentPlatform.Alipay, Description: "§4.2.22 Alipay refund/receipt notification (payment platform)"),
        new("WeChatNotify", InstantPay.WeChatNotify, Platform: PaymentPlatform.WeChat, Description: "§4.2.22 WeChat Pay notification, XML POST (payment platform)"),
    ];
}
