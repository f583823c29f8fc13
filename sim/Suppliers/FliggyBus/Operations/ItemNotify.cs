using System.Globalization;
using Sandbox.Suppliers.FliggyBus.Flow;
using Sandbox.Suppliers.FliggyBus.Flow.Steps;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyBus.Operations;

/// <summary>
/// <c>taobao.bus.item.notify</c> (车次变更通知飞猪, spec §5.4): the merchant changed a route and date (price, departure
/// time, new schedules) and asks Fliggy to re-sync it rather than wait for the next sync (10 minutes to 10 hours).
/// Answered at once; number.query for (from_city, to_city, from_date) starts right after the reply, and its schedules
/// replace that date's in the catalogue.
/// </summary>
public static class ItemNotify
{
    public const string Method = FliggyBusVocabulary.ItemNotify;
    public const string Parameter = "param_top_item_change_notify_r_q";

    public static TopObject Handle(BusTopCall call)
    {
        var from = call.Required("from_city");
        var to = call.Required("to_city");
        var date = call.Required("from_date");
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw BusTopError.Param($"{Parameter}.from_date '{date}' is not yyyy-MM-dd");
        var bus = call.Bus;
        CallJobs.Schedule(call.S, call.Uow, new CallJob(bus.Id, QimenMethods.NumberQuery, NumberStep.Subject(from, to, date), 1, CallJob.ResyncTag), call.NowMs);
        return BusTopCall.Ok();
    }
}
