using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Sandbox.LoadTests;

internal static class LocalWebApp
{
    /// <summary>
    /// Starts Kestrel on loopback (port 0 = any free port) and returns its base URL. Logging is off and the content root
    /// is the tool's own folder, so neither per-request noise nor a server's appsettings.json in the working directory leak in.
    /// </summary>
    public static async Task<(WebApplication App, Uri BaseUrl)> StartAsync(int port, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }
}
