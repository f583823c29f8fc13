using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyBus.Operations;

/// <summary>The refund callbacks need a permission package Fliggy staff grant (spec §5): without it TOP answers code 11.</summary>
static class RefundPermission
{
    public static void Check(BusTopCall call)
    {
        if (!call.Bus.Settings.RefundPermission)
            throw new TopError(11, "Insufficient isv permissions", "isv.permission-api-package-limit",
                $"The app {call.Top.Request.AppKey} has no permission package for {call.Top.Method.Name} (settings.fliggybus.refundPermission is false)");
    }
}
