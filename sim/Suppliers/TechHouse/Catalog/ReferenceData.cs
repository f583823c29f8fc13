namespace Sandbox.Suppliers.TechHouse.Catalog;

public sealed record Airport(string Code, string CityEn, string CityCn, string Country, string Utc);

public sealed record Carrier(string Code, string Name, string Country, string TicketPrefix);

/// <summary>Real airports and carriers the catalogue draws from; scenario routes may name others, which get generic names.</summary>
public static class ReferenceData
{
    public static readonly IReadOnlyDictionary<string, Airport> Airports = new[]
    {
        new Airport("PEK", "Beijing", "北京", "CN", "+08:00"), new Airport("PKX", "Beijing", "北京", "CN", "+08:00"),
        new Airport("SHA", "Shanghai", "上海", "CN", "+08:00"), new Airport("PVG", "Shanghai", "上海", "CN", "+08:00"),
        new Airport("CAN", "Guangzhou", "广州", "CN", "+08:00"), new Airport("SZX", "Shenzhen", "深圳", "CN", "+08:00"),
        new Airport("CTU", "Chengdu", "成都", "CN", "+08:00"), new Airport("KMG", "Kunming", "昆明", "CN", "+08:00"),
        new Airport("XIY", "Xi'an", "西安", "CN", "+08:00"), new Airport("HGH", "Hangzhou", "杭州", "CN", "+08:00"),
        new Airport("HKG", "Hong Kong", "香港", "HK", "+08:00"), new Airport("TPE", "Taipei", "台北", "TW", "+08:00"),
        new Airport("BKK", "Bangkok", "曼谷", "TH", "+07:00"), new Airport("DMK", "Bangkok", "曼谷", "TH", "+07:00"),
        new Airport("CNX", "Chiang Mai", "清迈", "TH", "+07:00"), new Airport("HKT", "Phuket", "普吉", "TH", "+07:00"),
        new Airport("KUL", "Kuala Lumpur", "吉隆坡", "MY", "+08:00"), new Airport("SIN", "Singapore", "新加坡", "SG", "+08:00"),
        new Airport("ICN", "Seoul", "首尔", "KR", "+09:00"), new Airport("NRT", "Tokyo", "东京", "JP", "+09:00"),
        new Airport("KIX", "Osaka", "大阪", "JP", "+09:00"), new Airport("SGN", "Ho Chi Minh City", "胡志明市", "VN", "+07:00"),
    }.ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase);

    public static readonly IReadOnlyDictionary<string, Carrier> Carriers = new[]
    {
        new Carrier("CA", "Air China", "CN", "999"), new Carrier("MU", "China Eastern Airlines", "CN", "781"),
        new Carrier("CZ", "China Southern Airlines", "CN", "784"), new Carrier("HU", "Hainan Airlines", "CN", "880"),
        new Carrier("3U", "Sichuan Airlines", "CN", "876"), new Carrier("ZH", "Shenzhen Airlines", "CN", "479"),
        new Carrier("FM", "Shanghai Airlines", "CN", "774"), new Carrier("HO", "Juneyao Airlines", "CN", "018"),
        new Carrier("CX", "Cathay Pacific", "HK", "160"), new Carrier("TG", "Thai Airways", "TH", "217"),
        new Carrier("FD", "Thai AirAsia", "TH", "900"), new Carrier("AK", "AirAsia", "MY", "807"),
        new Carrier("SL", "Thai Lion Air", "TH", "310"), new Carrier("VZ", "Thai Vietjet Air", "TH", "978"),
        new Carrier("OD", "Batik Air Malaysia", "MY", "816"), new Carrier("D7", "AirAsia X", "MY", "843"),
        new Carrier("SQ", "Singapore Airlines", "SG", "618"), new Carrier("KE", "Korean Air", "KR", "180"),
        new Carrier("NH", "All Nippon Airways", "JP", "205"), new Carrier("VN", "Vietnam Airlines", "VN", "738"),
    }.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);

    public static Airport AirportOrGeneric(string code) =>
        Airports.GetValueOrDefault(code) ?? new Airport(code.ToUpperInvariant(), code.ToUpperInvariant(), code.ToUpperInvariant(), "CN", "+08:00");

    public static Carrier CarrierOrGeneric(string code) =>
        Carriers.GetValueOrDefault(code) ?? new Carrier(code.ToUpperInvariant(), code.ToUpperInvariant() + " Airlines", "CN", "999");

    public static readonly string[] Aircraft = ["320", "321", "319", "738", "739", "789", "333", "359", "Boeing 777"];

    public static readonly string[] Meals = ["宫保鸡丁", "鱼香肉丝", "番茄牛腩饭", "海南鸡饭", "素食套餐", "泰式咖喱鸡", "日式照烧鸡饭", "儿童餐"];
}
