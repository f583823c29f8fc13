using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// Named listeners: the main one and those a supplier needs alone (BPT on port 6350, like the real product).
/// Each connection is tagged with its listener's name, so a module can answer everything that arrives on its
/// own port whatever the port turned out to be (tests bind port 0), and its transport goes through a
/// <see cref="RefusalPipe"/>, so that what Kestrel refuses on its own is answered in the supplier's format.
/// </summary>
public static class Listeners
{
    /// <summary>The listeners as bound (ports resolved when 0 was asked for), by name.</summary>
    public sealed class Table
    {
        readonly List<(string Name, ListenOptions Options)> _bound = [];

        internal void Add(string name, ListenOptions options)
        {
            lock (_bound) _bound.Add((name, options));
        }

        public IReadOnlyList<(string Name, string Url)> All
        {
            get
            {
                lock (_bound) return _bound.Select(b => (b.Name, $"http://{b.Options.IPEndPoint}")).ToList();
            }
        }

        public string? UrlOf(string name) => All.FirstOrDefault(b => b.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Url;
    }

    public const string Main = "main";
    const string ItemKey = "sandbox.listener";

    public static void Listen(KestrelServerOptions kestrel, Table table, FrontDoor doors, string name, string url)
    {
        var uri = new Uri(url.Replace("*", "0.0.0.0").Replace("+", "0.0.0.0"));
        if (uri.Scheme != "http") throw new InvalidOperationException($"listener {name}: only http:// URLs are supported ({url})");
        void Tag(ListenOptions lo)
        {
            table.Add(name, lo);
            ILogger? log = null;
            lo.Use(next => connection =>
            {
                connection.Items[ItemKey] = name;
                log ??= lo.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<FrontDoor>();
                RefusalPipe.Attach(connection, name, doors, log);
                return next(connection);
            });
        }
        if (uri.Host == "localhost") uri = new Uri($"http://127.0.0.1:{uri.Port}");
        kestrel.Listen(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port, Tag);
    }

    /// <summary>The name of the listener the request arrived on.</summary>
    public static string ListenerName(this HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var v) == true ? (string)v! : Main;
}
