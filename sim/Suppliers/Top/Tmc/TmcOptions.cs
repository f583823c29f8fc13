namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>The <c>Sandbox:Tmc</c> configuration section: server-wide settings of the WebSocket channel.</summary>
public sealed class TmcOptions
{
    /// <summary>
    /// How often the server pings an idle connection (0 = never, the default). Off by default because the public
    /// Java client's embedded WebSocket handler hands every frame to its message decoder (a copy of the same client
    /// in another SDK had to add a check that drops pong frames); the clients keep the connection alive themselves.
    /// </summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.Zero;

    /// <summary>With pings on: how long a pong may take before the connection is dropped.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that sends no CONNECT in this time is closed (spec §3.3.7).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
