using System.Net;
using System.Net.Sockets;

namespace Sandbox.Engine.Callbacks;

/// <summary>The <c>Sandbox:Callbacks</c> configuration section.</summary>
public sealed class CallbackOptions
{
    /// <summary>
    /// Hosts callbacks may reach: <c>loopback</c>, <c>private</c> (10/8, 172.16/12, 192.168/16, fc00::/7), a CIDR range
    /// (<c>203.0.113.0/24</c>), an address, a host name (<c>hooks.example.com</c>), a domain (<c>*.example.com</c>) or
    /// <c>*</c> for anywhere. Entries may also be given comma-separated in one value.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}

/// <summary>
/// Limits where callbacks may go, so that a tenant's or a request's callback URL cannot turn the sandbox against
/// arbitrary hosts (server-side request forgery). A host named by a rule is allowed whatever it resolves to; any other
/// host only if every address it connects to is in an allowed range — checked on the address actually connected, so a
/// name that resolves differently later cannot slip past.
/// </summary>
public sealed class CallbackHosts
{
    public static readonly IReadOnlyList<string> Defaults = ["loopback", "private"];

    readonly bool _any;
    readonly List<string> _names = [];
    readonly List<string> _domains = [];
    readonly List<(IPAddress Network, int Bits)> _ranges = [];

    public IReadOnlyList<string> Rules { get; }

    public CallbackHosts(IEnumerable<string>? configured)
    {
        var rules = (configured ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (rules.Count == 0) rules = [.. Defaults];
        Rules = rules;
        foreach (var rule in rules)
        {
            switch (rule.ToLowerInvariant())
            {
                case "*":
                    _any = true;
                    break;
                case "loopback":
                    _ranges.Add((IPAddress.Parse("127.0.0.0"), 8));
                    _ranges.Add((IPAddress.IPv6Loopback, 128));
                    _names.Add("localhost");
                    break;
                case "private":
                    _ranges.Add((IPAddress.Parse("10.0.0.0"), 8));
                    _ranges.Add((IPAddress.Parse("172.16.0.0"), 12));
                    _ranges.Add((IPAddress.Parse("192.168.0.0"), 16));
                    _ranges.Add((IPAddress.Parse("fc00::"), 7));
                    break;
                case var r when r.StartsWith("*."):
                    _domains.Add(r[1..]);
                    break;
                case var r when r.Contains('/'):
                    var slash = r.IndexOf('/');
                    if (!IPAddress.TryParse(r[..slash], out var net) || !int.TryParse(r[(slash + 1)..], out var bits))
                        throw new InvalidOperationException($"Sandbox:Callbacks:AllowedHosts: '{rule}' is not a CIDR range");
                    _ranges.Add((net, bits));
                    break;
                case var r when IPAddress.TryParse(r.Trim('[', ']'), out var ip):
                    _ranges.Add((ip, ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
                    break;
                case var r:
                    _names.Add(r);
                    break;
            }
        }
    }

    /// <summary>A host allowed by name (or every host, with <c>*</c>): its addresses need no check.</summary>
    public bool AllowsName(string host)
    {
        if (_any) return true;
        host = host.TrimEnd('.').ToLowerInvariant();
        return _names.Contains(host) || _domains.Any(d => host.EndsWith(d, StringComparison.Ordinal));
    }

    public bool AllowsAddress(IPAddress address)
    {
        if (_any) return true;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return _ranges.Any(r => InRange(address, r.Network, r.Bits));
    }

    static bool InRange(IPAddress address, IPAddress network, int bits)
    {
        if (address.AddressFamily != network.AddressFamily) return false;
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask)) return false;
        }
        return true;
    }

    /// <summary>
    /// Opens the connection for a callback: to a host allowed by name, any of its addresses; otherwise the first
    /// resolved address in an allowed range, or a refusal that names the setting.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var byName = AllowsName(host);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = byName ? addresses : addresses.Where(AllowsAddress).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"callback host '{host}' is not allowed by Sandbox:Callbacks:AllowedHosts ({string.Join(", ", Rules)})");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
