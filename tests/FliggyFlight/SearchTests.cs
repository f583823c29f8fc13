using System.Text.Json.Nodes;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>alitrip.flight.service.search (spec §2.3): listing, round trip, specified flight, filters and its errors.</summary>
public class SearchTests : FliggyTest
{
    Task<Sandbox.Tests.Top.TopResponse> Raw(object req) => Top.CallAsync(SearchMethod, P(("search_flight_info_req", req)));

    static object Od(string from, string to, string date) => new { dep_city_code = from, arr_city_code = to, dep_date = date };

    [Fact]
    public async Task A_listing_search_prices_items_with_every_documented_field()
    {
        var items = await SearchAsync();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            Assert.InRange(S(item["product_type"]), "OTA", "SELF");
            Assert.NotEmpty(S(item["item_id"]));
            Assert.Equal(Frozen.AddMinutes(30).ToString("yyyy-MM-dd HH:mm:ss"), S(item["expire_time"]));
            var route = item["flight_route"]!;
            Assert.Equal(1, I(route["trip_type"]));
            var seg = Items(Items(route["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment").Single();
            Assert.Equal("BJS", S(seg["dep_city_code"]));
            Assert.Equal("SHA", S(seg["arr_city_code"]));
            Assert.Contains(S(seg["dep_airport"]), new[] { "PEK", "PKX" });
            Assert.Contains(S(seg["arr_airport"]), new[] { "SHA", "PVG" });
            Assert.StartsWith(Day(30), S(seg["dep_time"]));
            Assert.Equal(S(seg["marketing_flight_no"]) + S(seg["dep_airport"]) + S(seg["arr_airport"]) + "0703", S(seg["id"]));
            Assert.InRange(I(seg["available_seat_num"]), 1, 9);
            Assert.Equal(D(item["chd_build_fee"]) + D(item["chd_oil_fee"]), D(item["chd_total_fee"]));
            Assert.Equal(D(item["inf_build_fee"]) + D(item["inf_oil_fee"]), D(item["inf_total_fee"]));
            // member_restrict, member_type and member_sub_type_list come all three or not at all (seed document).
            var member = new[] { "member_restrict", "member_type", "member_sub_type_list" }.Count(f => item[f] is not null);
            Assert.True(member is 0 or 3, item.ToJsonString());
            Assert.NotEmpty(S(item["refund_rule"]));
            Assert.NotEmpty(S(item["change_rule"]));
            Assert.NotEmpty(S(item["baggage_rule"]));
        }
        Assert.Contains(items, i => S(i["product_type"]) == "SELF");
    }

    [Fact]
    public async Task A_tenants_own_fliggyflight_settings_override_the_scenarios()
    {
        var tenant = (await Host.AdminGet("/tenants/demo"))!.AsObject();
        tenant["settings"] = new JsonObject { ["fliggyflight"] = new JsonObject { ["itemTtl"] = "PT10M", ["inventory"] = "unlimited" } };
        var (status, body) = await Host.AdminSend(HttpMethod.Put, "/tenants/demo", tenant);
        Assert.True(status == 200, $"{status} {body}");
        var items = await SearchAsync();
        Assert.All(items, i => Assert.Equal(Frozen.AddMinutes(10).ToString("yyyy-MM-dd HH:mm:ss"), S(i["expire_time"])));
    }

    static JsonObject Request(int daysAhead) => new()
    {
        ["search_od_info_list"] = new JsonArray(new JsonObject { ["dep_city_code"] = "BJS", ["arr_city_code"] = "SHA", ["dep_date"] = Day(daysAhead) }),
    };

    static JsonObject Segment(JsonObject item) =>
        Items(Items(item["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment").Single();

    static string Seats(JsonObject item) => S(Segment(item)["available_seat_num"]);

    static string Class(JsonObject item) => S(Segment(item)["id"]) + "/" + S(Segment(item)["cabin"]);

    [Fact]
    public async Task The_same_search_in_the_same_second_answers_the_same_items_in_every_form_with_a_new_search_id()
    {
        var first = Ok(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", Request(30)))), SearchMethod);
        var second = Ok(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", Request(30)))), SearchMethod);
        Assert.NotEqual(S(first["search_id"]), S(second["search_id"]));
        Assert.Equal(first["flight_item_list"]!.ToJsonString(), second["flight_item_list"]!.ToJsonString());
        var ids = Items(first["flight_item_list"], "flight_item").Select(i => S(i["item_id"])).ToList();

        // The kept list in the simplified form (plain arrays) and in XML: the same items.
        Top.Simplify = true;
        var simple = Ok(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", Request(30)))), SearchMethod);
        Assert.Equal(ids, simple["flight_item_list"]!.AsArray().Select(i => S(i!["item_id"])));
        Assert.IsType<JsonArray>(simple["flight_item_list"]);
        Top.Simplify = false;
        Top.Format = "xml";
        var xml = System.Xml.Linq.XDocument.Parse((await Top.CallAsync(SearchMethod, P(("search_flight_info_req", Request(30))))).Body);
        Assert.Equal(ids, xml.Root!.Element("flight_item_list")!.Elements("flight_item").Select(i => i.Element("item_id")!.Value));
        Assert.Equal("true", xml.Root.Element("is_success")!.Value);
        Assert.NotNull(xml.Root.Element("request_id"));
    }

    [Theory]
    [InlineData("json", false)]
    [InlineData("json", true)]
    [InlineData("xml", false)]
    public async Task A_client_accepting_gzip_gets_the_same_reply_gzipped(string format, bool simplify)
    {
        Top.Format = format;
        Top.Simplify = simplify;
        Top.AcceptGzip = false;
        var plain = await Top.CallAsync(SearchMethod, P(("search_flight_info_req", Request(30))));
        Top.AcceptGzip = true;
        // Twice: the first encodes and compresses the item list, the second reuses it.
        foreach (var _ in new[] { 1, 2 })
        {
            var zipped = await Top.CallAsync(SearchMethod, P(("search_flight_info_req", Request(30))));
            Assert.False(plain.Gzipped);
            Assert.True(zipped.Gzipped);
            Assert.Equal(Strip(plain.Body), Strip(zipped.Body));
        }
        // A small reply too (no kept list: compressed whole).
        var detail = await Top.CallAsync(DetailMethod, P(("order_id", "1")));
        Assert.True(detail.Gzipped);
        Assert.Contains(format == "xml" ? "<is_success>false</is_success>" : "\"is_success\":false", detail.Body);

        // The ids that differ per call, blanked.
        static string Strip(string body) =>
            System.Text.RegularExpressions.Regex.Replace(body, "(search_id|request_id)(\":\"|>)[0-9a-z]+", "$1$2");
    }

    [Fact]
    public async Task A_seat_sold_shows_in_the_next_search_of_the_same_second()
    {
        var before = Items(Ok(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", Request(30)))), SearchMethod)["flight_item_list"], "flight_item");
        var item = Plain(before);
        Ok(await AirbookAsync(Booking(item, "MEMO-1")), AirbookMethod);
        var after = Items(Ok(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", Request(30)))), SearchMethod)["flight_item_list"], "flight_item");
        var left = int.Parse(Seats(item)) - 1;
        // The same flight and class: one seat fewer (or no longer offered when that was the last).
        var same = after.Where(i => S(i["product_type"]) == "OTA" && i["member_type"] is null && Class(i) == Class(item)).ToList();
        if (left == 0) Assert.Empty(same);
        else Assert.Equal(left.ToString(), Seats(Assert.Single(same)));
    }

    [Fact]
    public async Task A_search_a_second_later_quotes_anew()
    {
        var a = (await SearchAsync()).Select(i => S(i["item_id"])).ToList();
        await Host.FreezeClockAsync(Frozen.AddSeconds(1));
        var b = await SearchAsync();
        Assert.NotEqual(a, b.Select(i => S(i["item_id"])));
        Assert.All(b, i => Assert.Equal(Frozen.AddSeconds(1).AddMinutes(30).ToString("yyyy-MM-dd HH:mm:ss"), S(i["expire_time"])));
    }

    [Fact]
    public async Task The_catalogue_is_the_same_on_every_search()
    {
        var a = (await SearchAsync()).Select(i => S(i["item_id"])).ToList();
        var b = (await SearchAsync()).Select(i => S(i["item_id"])).ToList();
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Member_items_say_who_must_be_a_member()
    {
        JsonObject? member = null;
        for (var d = 1; d < 40 && member is null; d++)
            member = (await SearchAsync(daysAhead: d)).FirstOrDefault(i => i["member_type"] is not null);
        Assert.NotNull(member);
        Assert.InRange(I(member!["member_type"]), 0, 1);
        Assert.NotEmpty(member["member_sub_type_list"]!["number"]!.AsArray());
        Assert.All(member["member_sub_type_list"]!["number"]!.AsArray(), n => Assert.InRange(n!.GetValue<int>(), 0, 1));
        Assert.False(member["support_child"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_round_trip_pairs_outbound_and_return_journeys()
    {
        var r = Ok(await Raw(new { search_od_info_list = new[] { Od("BJS", "SHA", Day(30)), Od("SHA", "BJS", Day(33)) } }), SearchMethod);
        var items = Items(r["flight_item_list"], "flight_item");
        Assert.InRange(items.Count, 1, 30);
        foreach (var item in items)
        {
            Assert.Equal(2, I(item["flight_route"]!["trip_type"]));
            var journeys = Items(item["flight_route"]!["flight_journey_list"], "flight_journey");
            Assert.Equal(2, journeys.Count);
            Assert.Equal("SHA", S(Items(journeys[1]["flight_segment_list"], "flight_segment")[0]["dep_city_code"]));
        }
    }

    [Fact]
    public async Task A_specified_flight_search_answers_every_class_of_that_flight()
    {
        var seg = Items(Items((await SearchAsync())[0]["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0];
        var r = Ok(await Raw(new
        {
            search_mode = 2,
            search_od_info_list = new[] { Od("BJS", "SHA", Day(30)) },
            search_selected_flight_list = new[]
            {
                new { dep_airport_code = S(seg["dep_airport"]), arr_airport_code = S(seg["arr_airport"]), market_flight_no = S(seg["marketing_flight_no"]), flight_time = S(seg["dep_time"]) },
            },
        }), SearchMethod);
        var items = Items(r["flight_item_list"], "flight_item");
        var segments = items.Select(i => Items(Items(i["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]).ToList();
        Assert.All(segments, s => Assert.Equal(S(seg["marketing_flight_no"]), S(s["marketing_flight_no"])));
        Assert.True(segments.Select(s => S(s["cabin"])).Distinct().Count() >= 2);
    }

    [Fact]
    public async Task A_selected_flight_without_search_mode_2_has_no_quote()
    {
        var r = await Raw(new
        {
            search_od_info_list = new[] { Od("BJS", "SHA", Day(30)) },
            search_selected_flight_list = new[] { new { market_flight_no = "CA1501" } },
        });
        Fails(r, SearchMethod, "isv.NO_PRICE", "搜索询价无报价");
    }

    [Theory]
    [InlineData("PEK", "SHA")]
    [InlineData("BJS", "PVG")]
    [InlineData("TFU", "BJS")]
    public async Task Airport_codes_are_not_city_codes(string from, string to) =>
        Fails(await Raw(new { search_od_info_list = new[] { Od(from, to, Day(30)) } }), SearchMethod, "isv.NO_PRICE", "搜索询价无报价");

    [Theory]
    [InlineData("SHA", "XMN")]
    [InlineData("CTU", "CAN")]
    public async Task Codes_that_are_both_airport_and_city_are_cities(string from, string to) =>
        Assert.NotEmpty(Items(Ok(await Raw(new { search_od_info_list = new[] { Od(from, to, Day(30)) } }), SearchMethod)["flight_item_list"], "flight_item"));

    [Fact]
    public async Task A_city_pair_the_catalogue_does_not_fly_has_no_quote() =>
        Fails(await Raw(new { search_od_info_list = new[] { Od("URC", "HRB", Day(30)) } }), SearchMethod, "isv.NO_PRICE");

    [Fact]
    public async Task Infants_filter_out_items_that_do_not_sell_infant_tickets()
    {
        var items = Items(Ok(await Raw(new { infant_num = 1, search_od_info_list = new[] { Od("BJS", "SHA", Day(30)) } }), SearchMethod)["flight_item_list"], "flight_item");
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.True(i["support_infant"]!.GetValue<bool>()));
        var all = await SearchAsync();
        Assert.True(all.Count > items.Count);
    }

    [Theory]
    [InlineData("Y", new[] { "Y" })]
    [InlineData("C", new[] { "C" })]
    [InlineData("FC", new[] { "C", "F" })]
    public async Task Cabin_class_filters(string cabinClass, string[] allowed)
    {
        var items = Items(Ok(await Raw(new { cabin_class = cabinClass, search_od_info_list = new[] { Od("BJS", "SHA", Day(30)) } }), SearchMethod)["flight_item_list"], "flight_item");
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Contains(S(Items(Items(i["flight_route"]!["flight_journey_list"], "flight_journey")[0]["flight_segment_list"], "flight_segment")[0]["cabin_class"]), allowed));
    }

    [Theory]
    [InlineData("{\"cabin_class\":\"Z\",\"search_od_info_list\":[{\"dep_city_code\":\"BJS\",\"arr_city_code\":\"SHA\",\"dep_date\":\"2030-07-03\"}]}")]
    [InlineData("{\"adult_num\":0,\"search_od_info_list\":[{\"dep_city_code\":\"BJS\",\"arr_city_code\":\"SHA\",\"dep_date\":\"2030-07-03\"}]}")]
    [InlineData("{\"adult_num\":1,\"infant_num\":2,\"search_od_info_list\":[{\"dep_city_code\":\"BJS\",\"arr_city_code\":\"SHA\",\"dep_date\":\"2030-07-03\"}]}")]
    [InlineData("{\"search_od_info_list\":[{\"dep_city_code\":\"BJS\",\"arr_city_code\":\"SHA\",\"dep_date\":\"2030-05-01\"}]}")]
    [InlineData("{\"search_od_info_list\":[{\"dep_city_code\":\"BJS\",\"arr_city_code\":\"SHA\",\"dep_date\":\"03/07/2030\"}]}")]
    [InlineData("{\"search_od_info_list\":[{\"dep_city_code\":\"BJS\",\"arr_city_code\":\"SHA\",\"dep_date\":\"2030-07-03\"},{\"dep_city_code\":\"SHA\",\"arr_city_code\":\"BJS\",\"dep_date\":\"2030-07-05\"},{\"dep_city_code\":\"BJS\",\"arr_city_code\":\"SHA\",\"dep_date\":\"2030-07-07\"}]}")]
    public async Task Invalid_business_values_are_param_error(string request) =>
        Fails(await Top.CallAsync(SearchMethod, P(("search_flight_info_req", request))), SearchMethod, "isv.PARAM_ERROR", "请求参数错误");

    [Fact]
    public async Task A_date_beyond_the_sales_horizon_has_no_quote() =>
        Fails(await Raw(new { search_od_info_list = new[] { Od("BJS", "SHA", Day(400)) } }), SearchMethod, "isv.NO_PRICE");

    [Fact]
    public async Task Missing_and_mistyped_fields_are_40_and_41_with_their_path()
    {
        var e = TopError(await Raw(new { search_od_info_list = new[] { new { arr_city_code = "SHA", dep_date = Day(30) } } }), 40);
        Assert.Equal("Missing required arguments:search_flight_info_req.search_od_info_list[0].dep_city_code", S(e["msg"]));
        TopError(await Raw(new { }), 40);
        TopError(await Raw(new { search_od_info_list = "BJS" }), 41);
        TopError(await Raw(new { adult_num = "two", search_od_info_list = new[] { Od("BJS", "SHA", Day(30)) } }), 41);
    }
}
