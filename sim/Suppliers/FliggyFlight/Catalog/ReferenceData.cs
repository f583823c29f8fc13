using System.Collections.Frozen;

namespace Sandbox.Suppliers.FliggyFlight.Catalog;

public sealed record Airport(string Code, string Name, string City, string[] Terminals);

public sealed record City(string Code, string Name, string[] Airports);

/// <param name="TicketPrefix">the airline's 3-digit accounting code, the first part of its ticket numbers</param>
/// <param name="Club">its frequent-flyer programme (member-price items name it)</param>
public sealed record Carrier(string Code, string Name, string TicketPrefix, string Club);

/// <summary>
/// Domestic cities, their airports and terminals, and the carriers selling on Fliggy. A city code and an airport code
/// may coincide (SHA, CTU, XMN) or not (BJS: PEK and PKX); search takes city codes only (spec §2.3).
/// </summary>
public static class ReferenceData
{
    static readonly FrozenDictionary<string, string> CityNames = new Dictionary<string, string>
    {
        ["BJS"] = "北京", ["SHA"] = "上海", ["CAN"] = "广州", ["SZX"] = "深圳", ["CTU"] = "成都", ["HGH"] = "杭州", ["XMN"] = "厦门",
        ["KMG"] = "昆明", ["CKG"] = "重庆", ["XIY"] = "西安", ["WUH"] = "武汉", ["CSX"] = "长沙", ["NKG"] = "南京", ["TAO"] = "青岛",
        ["SYX"] = "三亚", ["HAK"] = "海口", ["DLC"] = "大连", ["HRB"] = "哈尔滨", ["URC"] = "乌鲁木齐",
    }.ToFrozenDictionary();

    public static readonly FrozenDictionary<string, Airport> Airports = new Airport[]
    {
        new("PEK", "北京首都国际机场", "BJS", ["T2", "T3"]),
        new("PKX", "北京大兴国际机场", "BJS", [""]),
        new("SHA", "上海虹桥国际机场", "SHA", ["T1", "T2"]),
        new("PVG", "上海浦东国际机场", "SHA", ["T1", "T2"]),
        new("CAN", "广州白云国际机场", "CAN", ["T1", "T2"]),
        new("SZX", "深圳宝安国际机场", "SZX", ["T3"]),
        new("CTU", "成都双流国际机场", "CTU", ["T1", "T2"]),
        new("TFU", "成都天府国际机场", "CTU", ["T1", "T2"]),
        new("HGH", "杭州萧山国际机场", "HGH", ["T3", "T4"]),
        new("XMN", "厦门高崎国际机场", "XMN", ["T3", "T4"]),
        new("KMG", "昆明长水国际机场", "KMG", [""]),
        new("CKG", "重庆江北国际机场", "CKG", ["T2", "T3"]),
        new("XIY", "西安咸阳国际机场", "XIY", ["T3", "T5"]),
        new("WUH", "武汉天河国际机场", "WUH", ["T3"]),
        new("CSX", "长沙黄花国际机场", "CSX", ["T2"]),
        new("NKG", "南京禄口国际机场", "NKG", ["T1", "T2"]),
        new("TAO", "青岛胶东国际机场", "TAO", [""]),
        new("SYX", "三亚凤凰国际机场", "SYX", ["T1", "T2"]),
        new("HAK", "海口美兰国际机场", "HAK", ["T1", "T2"]),
        new("DLC", "大连周水子国际机场", "DLC", [""]),
        new("HRB", "哈尔滨太平国际机场", "HRB", ["T2"]),
        new("URC", "乌鲁木齐地窝堡国际机场", "URC", ["T3"]),
    }.ToFrozenDictionary(a => a.Code);

    public static readonly FrozenDictionary<string, City> Cities = Airports.Values
        .GroupBy(a => a.City)
        .Select(g => new City(g.Key, CityNames[g.Key], g.Select(a => a.Code).Order(StringComparer.Ordinal).ToArray()))
        .ToFrozenDictionary(c => c.Code);


    public static readonly FrozenDictionary<string, Carrier> Carriers = new Carrier[]
    {
        new("CA", "中国国际航空", "999", "凤凰知音"),
        new("MU", "中国东方航空", "781", "东方万里行"),
        new("CZ", "中国南方航空", "784", "南航明珠俱乐部"),
        new("HU", "海南航空", "880", "金鹏俱乐部"),
        new("3U", "四川航空", "876", "金熊猫俱乐部"),
        new("ZH", "深圳航空", "479", "凤凰知音"),
        new("MF", "厦门航空", "731", "白鹭俱乐部"),
        new("FM", "上海航空", "774", "东方万里行"),
        new("HO", "吉祥航空", "018", "吉祥凤凰俱乐部"),
        new("SC", "山东航空", "324", "凤凰知音"),
        new("KN", "中国联合航空", "822", "东方万里行"),
        new("GS", "天津航空", "826", "金鹏俱乐部"),
    }.ToFrozenDictionary(c => c.Code);

    /// <summary>Aircraft types as TOP writes them (<c>equip_type</c> "321").</summary>
    public static readonly string[] Equipment = ["320", "321", "32N", "738", "73M", "333", "332", "789", "359"];

    public static string CityOf(string airport) => Airports.TryGetValue(airport, out var a) ? a.City : airport;

    /// <summary>Cabin class names (<c>cabin_class_name</c>).</summary>
    public static string ClassName(string cabinClass) => cabinClass switch
    {
        "F" => "头等舱",
        "C" => "公务舱",
        _ => "经济舱",
    };
}
