using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Sandbox.Engine.Inbox;

public static class InboxEndpoint
{
    /// <summary>
    /// Maps <c>/inbox/{tenant}/{supplier}</c> and everything below it (Yobaoxing appends its Notify_*.aspx page names)
    /// for every method, outside the admin token: senders of callbacks carry no admin token.
    /// </summary>
    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder app)
    {
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
        static Task Receive(HttpContext http, string tenant, string supplier) =>
            http.RequestServices.GetRequiredService<CallbackInbox>().ReceiveAsync(http, tenant, supplier);
        app.MapMethods(CallbackInbox.Prefix + "/{tenant}/{supplier}", methods, Receive).ExcludeFromDescription();
        app.MapMethods(CallbackInbox.Prefix + "/{tenant}/{supplier}/{**rest}", methods, Receive).ExcludeFromDescription();
        return app;
    }
}
