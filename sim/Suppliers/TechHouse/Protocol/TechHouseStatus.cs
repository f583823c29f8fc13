namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>TechHouse status codes (spec §3) with the sandbox's English <c>msg</c> texts (under 64 characters).</summary>
public static class TechHouseStatus
{
    public const int Success = 0;
    public const int SystemError = 1000;
    public const int MissingParameter = 1001;
    public const int InvalidAction = 1002;
    public const int Timeout = 1003;
    public const int BadParameter = 1004;
    public const int InternalError = 1005;
    public const int QuotaExceeded = 1040;
    public const int SignatureFailed = 1101;
    public const int MerchantDisabled = 1102;
    public const int InsufficientBalance = 1201;
    public const int NoItinerary = 2002;
    public const int NoPassengers = 2003;
    public const int BadDateFormat = 2005;
    public const int UnknownOrderStatus = 2006;
    public const int BadPassengerType = 2007;
    public const int PassengersAlreadySet = 2008;
    public const int PassengerNotFound = 2009;
    public const int RouteNotSupported = 2010;
    public const int NoFlights = 2011;
    public const int SoldOut = 2012;
    public const int PriceExpired = 2013;
    public const int ChildrenRule = 2014;
    public const int NoSsrData = 2101;
    public const int SsrCodeMismatch = 2102;
    public const int NoSeatData = 2201;
    public const int SeatCodeMismatch = 2202;
    public const int SeatNotSelectable = 2203;
    public const int PaymentNotSupported = 2301;

    public static string Message(int code) => code switch
    {
        Success => "success",
        SystemError => "system error",
        MissingParameter => "request is missing a parameter",
        InvalidAction => "invalid action",
        Timeout => "timeout, please retry",
        BadParameter => "request parameter error",
        InternalError => "system error",
        QuotaExceeded => "daily traffic quota exceeded",
        SignatureFailed => "signature check failed",
        MerchantDisabled => "merchant disabled, contact the account administrator",
        InsufficientBalance => "insufficient balance",
        NoItinerary => "no valid itinerary in the session",
        NoPassengers => "no passengers in the session",
        BadDateFormat => "GetOrderList: bad date format",
        UnknownOrderStatus => "GetOrderList: unknown order status",
        BadPassengerType => "SetPassengers: invalid passenger type",
        PassengersAlreadySet => "SetPassengers may only be called once",
        PassengerNotFound => "passengerId does not exist",
        RouteNotSupported => "route not supported",
        NoFlights => "no flights, please change the date",
        SoldOut => "flight sold out",
        PriceExpired => "order price no longer valid, please book again",
        ChildrenRule => "children may not outnumber adults or travel alone",
        NoSsrData => "no SSR data available",
        SsrCodeMismatch => "SSR code does not match GetSSRAvailability",
        NoSeatData => "no seat data",
        SeatCodeMismatch => "seat does not match GetSeatAvailability",
        SeatNotSelectable => "seat not selectable",
        PaymentNotSupported => "payment method not supported",
        _ => "error",
    };
}

/// <summary>A business outcome that ends an operation with a TechHouse error reply.</summary>
public sealed class TechHouseError(int status, string? msg = null) : Exception(msg ?? TechHouseStatus.Message(status))
{
    public int Status { get; } = status;
    public string Msg => Message.Length > 63 ? Message[..63] : Message;
}
