using System.Text.Json.Nodes;
using Sandbox.Tests.FliggyFlight;

namespace Sandbox.Tests.Top;

/// <summary>
/// Each public client's way of sending and signing (spec §1.1–1.4) works unmodified: Java (system parameters in the
/// URL, hmac, partner_id), Go (all in the body, simplify=true), the official Node SDK (multipart, empty values signed as
/// keys), PHP (simplify=1, empty values kept), the JavaScript form clients (no charset) and a plain GET.
/// </summary>
public class SdkStyleTests : FliggyTest
{
    Dictionary<string, string> Detail(string outOrderNo) => new() { ["out_order_no"] = outOrderNo, ["order_id"] = "" };

    [Theory]
    [InlineData(TopClientStyle.JavaSdk)]
    [InlineData(TopClientStyle.GoSdk)]
    [InlineData(TopClientStyle.NodeSdk)]
    [InlineData(TopClientStyle.PhpSdk)]
    [InlineData(TopClientStyle.JsForm)]
    [InlineData(TopClientStyle.Get)]
    public async Task Each_style_books_and_reads_an_order(TopClientStyle style)
    {
        Top.Style = style;
        var item = Plain(await SearchAsync());
        var booked = Ok(await AirbookAsync(Booking(item, "STYLE-" + style)), AirbookMethod);
        // An empty order_id next to out_order_no: Java skips it when signing, the others sign its key; both verify.
        var r = await Top.CallAsync(DetailMethod, Detail("STYLE-" + style));
        if (r.Error is { } e) Assert.Equal(40, e["code"]!.GetValue<int>());
        var detail = Ok(await Top.CallAsync(DetailMethod, new Dictionary<string, string> { ["out_order_no"] = "STYLE-" + style }), DetailMethod);
        Assert.Equal(L(booked["order_id"]), L(detail["order_id"]));
    }

    [Fact]
    public async Task The_go_client_reads_the_simplified_reply_at_the_top_level()
    {
        Top.Style = TopClientStyle.GoSdk;
        var r = await Top.CallAsync(SearchMethod, P(("search_flight_info_req", new JsonObject
        {
            ["search_od_info_list"] = new JsonArray(new JsonObject { ["dep_city_code"] = "SHA", ["arr_city_code"] = "CAN", ["dep_date"] = Day(10) }),
        })));
        var json = r.Json;
        Assert.True(json["is_success"]!.GetValue<bool>());
        Assert.IsType<JsonArray>(json["flight_item_list"]);
    }

    [Fact]
    public async Task A_real_world_search_with_fields_the_spec_does_not_know_is_accepted()
    {
        // A public Fliggy client sends trip_type, has_child, has_infant, external_agent_name and search_mode 2 without a flight list.
        Top.Style = TopClientStyle.JsForm;
        Top.SignMethod = "hmac";
        var r = await Top.CallAsync(SearchMethod, P(("search_flight_info_req", new JsonObject
        {
            ["cabin_class"] = "ALL_CABIN", ["external_agent_name"] = "sandbox", ["search_mode"] = 2, ["trip_type"] = 1, ["has_child"] = false, ["has_infant"] = false,
            ["search_od_info_list"] = new JsonArray(new JsonObject { ["dep_city_code"] = "BJS", ["arr_city_code"] = "CTU", ["dep_date"] = Day(15) }),
        })));
        Assert.NotEmpty(Items(Ok(r, SearchMethod)["flight_item_list"], "flight_item"));
    }
}
