using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Tests.Top;

namespace Sandbox.Tests.FliggyFlight;

/// <summary>refund.render, refund.create, upload, refund.detail and refund.list (spec §2.9–2.13) on the refund machine (§2.16).</summary>
public class RefundTests : FliggyTest
{
    static readonly JsonArray Zhang = new(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777" });

    Task<TopResponse> Render(long orderId, int type) =>
        Top.CallAsync(RenderMethod, P(("refund_render_request", new JsonObject { ["order_id"] = orderId, ["refund_apply_type"] = type, ["refund_passenger_list"] = Zhang.DeepClone() })));

    Task<TopResponse> Create(long orderId, string outRefundNo, int type, decimal? fee)
    {
        var req = new JsonObject { ["order_id"] = orderId, ["out_refund_no"] = outRefundNo, ["refund_apply_type"] = type, ["refund_passenger_list"] = Zhang.DeepClone() };
        if (fee is not null) req["all_refund_fee"] = fee;
        return Top.CallAsync(RefundMethod, P(("refund_create_request", req)));
    }

    static TopFilePart Jpeg(string name = "proof.jpg", int size = 2048) =>
        new("file", name, "image/jpeg", [0xFF, 0xD8, 0xFF, 0xE0, .. new byte[size]]);

    Task<TopResponse> UploadAsync(long refundId, string fileName, TopFilePart file) =>
        Top.CallAsync(UploadMethod, P(("refund_order_id", refundId.ToString(CultureInfo.InvariantCulture)), ("file_name", fileName)), files: [file]);

    [Fact]
    public async Task A_voluntary_refund_costs_5_percent_a_week_ahead_and_create_agrees_with_render()
    {
        var (id, detail) = await TicketedAsync("REF-1");
        var sell = D(Items(detail["flight_book_order_detail_list"], "flight_book_order_detail")[0]["flight_price"]!["sell_price"]);
        var render = Ok(await Render(id, 1), RenderMethod);
        Assert.True(render["can_refund"]!.GetValue<bool>());
        Assert.True(render["calculate_success"]!.GetValue<bool>());
        Assert.False(render["need_attachment"]!.GetValue<bool>());
        var fee = Math.Round(sell * 0.05m, 0, MidpointRounding.AwayFromZero);
        Assert.Equal(fee, D(render["all_refund_fee"]));
        var line = Items(render["refund_fee_detail_list"], "refund_fee_detail").Single();
        Assert.Equal(sell - fee + D(line["build_fee"]) + D(line["oil_fee"]), D(line["refund_amount"]));
        Assert.Equal(D(line["refund_amount"]), D(render["refund_amount"]));

        Fails(await Create(id, "R-1", 1, fee + 1), RefundMethod, "isv.REFUND_FEE_CHANGED", "退票手续费发生变化，请重试!");
        Fails(await Create(id, "R-1", 1, null), RefundMethod, "isv.REFUND_FEE_CHANGED");
        var created = Ok(await Create(id, "R-1", 1, fee), RefundMethod);
        Assert.Equal(1, I(created["refund_status"]));
        Assert.Equal("退票申请成功，审核中", S(created["refund_status_desc"]));
        var again = Ok(await Create(id, "R-1", 1, fee), RefundMethod);
        Assert.Equal(L(created["refund_order_id"]), L(again["refund_order_id"]));
        var ticket = Items((await DetailAsync(id))["flight_book_order_detail_list"], "flight_book_order_detail")[0]["passenger"]!;
        Assert.Equal("REFUNDING", S(ticket["ticket_status"]));
        Fails(await Create(id, "R-2", 1, fee), RefundMethod, "isv.REFUND_NOT_ALLOWED", "该客票不可退");
    }

    [Fact]
    public async Task Closer_to_departure_the_fee_band_is_higher()
    {
        var (id, detail) = await TicketedAsync("REF-2", daysAhead: 3);
        var sell = D(Items(detail["flight_book_order_detail_list"], "flight_book_order_detail")[0]["flight_price"]!["sell_price"]);
        Assert.Equal(Math.Round(sell * 0.10m, 0, MidpointRounding.AwayFromZero), D(Ok(await Render(id, 1), RenderMethod)["all_refund_fee"]));
    }

    [Fact]
    public async Task Involuntary_refunds_are_not_precalculated_and_refund_in_full_at_audit()
    {
        var (id, detail) = await TicketedAsync("REF-3");
        var render = Ok(await Render(id, 2), RenderMethod);
        Assert.False(render["calculate_success"]!.GetValue<bool>());
        Assert.Null(render["all_refund_fee"]);
        Fails(await Create(id, "R-3", 2, 0), RefundMethod, "isv.REFUND_FEE_CHANGED");
        var refundId = L(Ok(await Create(id, "R-3", 2, null), RefundMethod)["refund_order_id"]);
        await AdvanceAsync("PT30S");
        var r = Ok(await Top.CallAsync(RefundDetailMethod, P(("refund_order_id", refundId.ToString(CultureInfo.InvariantCulture)))), RefundDetailMethod);
        Assert.Equal(4, I(r["refund_status"]));
        Assert.Equal("退款成功", S(r["refund_status_desc"]));
        Assert.Equal(0, D(r["all_refund_fee"]));
        Assert.Equal(D(detail["total_price"]), D(r["refund_amount"]));
        Assert.Equal("2030-06-03 09:00:40", S(r["refund_time"]));
        Assert.False(r["multi_refund_flag"]!.GetValue<bool>());
        Assert.Equal("REFUNDED", S(Items((await DetailAsync(id))["flight_book_order_detail_list"], "flight_book_order_detail")[0]["passenger"]!["ticket_status"]));
    }

    [Fact]
    public async Task An_epidemic_refund_without_an_airline_policy_is_refund_rule_changed()
    {
        var (id, _) = await TicketedAsync("REF-4");
        Fails(await Create(id, "R-4", 100, null), RefundMethod, "isv.REFUND_RULE_CHANGED", "退票规则有更新，返回订单详情页后，请重新进行申请提交。");
    }

    [Fact]
    public async Task An_unticketed_order_cannot_be_refunded()
    {
        var booked = await BookAsync("REF-5");
        var render = Ok(await Render(L(booked["order_id"]), 1), RenderMethod);
        Assert.False(render["can_refund"]!.GetValue<bool>());
        Assert.NotEmpty(S(render["refuse_reason"]));
        Fails(await Create(L(booked["order_id"]), "R-5", 1, 0), RefundMethod, "isv.REFUND_NOT_ALLOWED");
    }

    [Fact]
    public async Task An_illness_refund_waits_for_its_proof_then_reviews()
    {
        var (id, _) = await TicketedAsync("REF-6");
        var render = Ok(await Render(id, 3), RenderMethod);
        Assert.True(render["need_attachment"]!.GetValue<bool>());
        var created = Ok(await Create(id, "R-6", 3, null), RefundMethod);
        Assert.Equal(2, I(created["refund_status"]));
        var refundId = L(created["refund_order_id"]);
        await AdvanceAsync("PT1H");
        var upload = Ok(await UploadAsync(refundId, "proof.jpg", Jpeg()), UploadMethod);
        Assert.StartsWith("att_", S(upload["file_key"]));
        var detail = Ok(await Top.CallAsync(RefundDetailMethod, P(("refund_order_id", refundId.ToString(CultureInfo.InvariantCulture)))), RefundDetailMethod);
        Assert.Equal(3, I(detail["refund_status"]));
        Assert.Equal(S(upload["file_key"]), S(detail["attachment_list"]!["string"]![0]));
        await AdvanceAsync("PT30S");
        Assert.Equal(4, I(Ok(await Top.CallAsync(RefundDetailMethod, P(("refund_order_id", refundId.ToString(CultureInfo.InvariantCulture)))), RefundDetailMethod)["refund_status"]));
        Fails(await UploadAsync(refundId, "late.jpg", Jpeg()), UploadMethod, "isv.ORDER_STATUS_ERROR");
    }

    [Fact]
    public async Task Without_proof_for_72_hours_the_refund_closes_and_the_ticket_is_back()
    {
        var (id, _) = await TicketedAsync("REF-7");
        var refundId = L(Ok(await Create(id, "R-7", 4, null), RefundMethod)["refund_order_id"]);
        await AdvanceAsync("PT72H");
        var detail = Ok(await Top.CallAsync(RefundDetailMethod, P(("refund_order_id", refundId.ToString(CultureInfo.InvariantCulture)))), RefundDetailMethod);
        Assert.Equal(5, I(detail["refund_status"]));
        Assert.NotEmpty(S(detail["refuse_reason"]));
        Assert.Equal("TICKETED", S(Items((await DetailAsync(id))["flight_book_order_detail_list"], "flight_book_order_detail")[0]["passenger"]!["ticket_status"]));
    }

    [Theory]
    [InlineData("proof.gif", "jpg")]
    [InlineData("proof.jpg", "png")]
    [InlineData("proof.pdf", "empty")]
    [InlineData("proof.jpg", "huge")]
    public async Task Attachments_must_be_jpeg_png_or_pdf_up_to_5_mb(string name, string content)
    {
        var (id, _) = await TicketedAsync("REF-8");
        var refundId = L(Ok(await Create(id, "R-8", 3, null), RefundMethod)["refund_order_id"]);
        var file = content switch
        {
            "png" => new TopFilePart("file", name, "image/png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]),
            "empty" => new TopFilePart("file", name, "application/pdf", []),
            "huge" => Jpeg(name, 5 * 1024 * 1024),
            _ => Jpeg(name),
        };
        Fails(await UploadAsync(refundId, name, file), UploadMethod, "isv.ATTACHMENT_INVALID", "附件格式或大小不合法");
    }

    [Fact]
    public async Task Upload_needs_its_file_part_and_a_known_refund()
    {
        TopError(await Top.CallAsync(UploadMethod, P(("refund_order_id", "1"), ("file_name", "a.jpg"))), 40);
        Fails(await UploadAsync(1, "a.jpg", Jpeg()), UploadMethod, "isv.REFUND_ORDER_NOT_FOUND", "退票单不存在");
    }

    [Fact]
    public async Task The_list_shows_an_orders_refunds()
    {
        var (id, _) = await TicketedAsync("REF-9");
        var empty = Ok(await Top.CallAsync(RefundListMethod, P(("order_id", id.ToString(CultureInfo.InvariantCulture)))), RefundListMethod);
        Assert.Empty(Items(empty["refund_order_list"], "refund_order_summary"));
        var fee = D(Ok(await Render(id, 1), RenderMethod)["all_refund_fee"]);
        Ok(await Create(id, "R-9", 1, fee), RefundMethod);
        var list = Items(Ok(await Top.CallAsync(RefundListMethod, P(("order_id", id.ToString(CultureInfo.InvariantCulture)))), RefundListMethod)["refund_order_list"], "refund_order_summary");
        var one = Assert.Single(list);
        Assert.Equal("张三", S(one["passenger_names"]));
        Assert.Equal(1, I(one["refund_apply_type"]));
        Fails(await Top.CallAsync(RefundListMethod, P(("order_id", "999"))), RefundListMethod, "isv.ORDER_NOT_FOUND");
        Fails(await Top.CallAsync(RefundDetailMethod, P(("refund_order_id", "999"))), RefundDetailMethod, "isv.REFUND_ORDER_NOT_FOUND");
    }

    [Fact]
    public async Task Passengers_and_segments_must_be_the_orders()
    {
        var (id, _) = await TicketedAsync("REF-10");
        var r = await Top.CallAsync(RenderMethod, P(("refund_render_request", new JsonObject
        {
            ["order_id"] = id, ["refund_apply_type"] = 1, ["refund_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "李四", ["credential_no"] = "X" }),
        })));
        Fails(r, RenderMethod, "isv.PARAM_ERROR");
        var seg = await Top.CallAsync(RenderMethod, P(("refund_render_request", new JsonObject
        {
            ["order_id"] = id, ["refund_apply_type"] = 1,
            ["refund_passenger_list"] = new JsonArray(new JsonObject { ["passenger_name"] = "张三", ["credential_no"] = "110101199003077777", ["flight_segment_id_list"] = new JsonArray("XX0000AAABBB0101") }),
        })));
        Fails(seg, RenderMethod, "isv.PARAM_ERROR");
        Fails(await Render(id, 7), RenderMethod, "isv.PARAM_ERROR");
    }
}
