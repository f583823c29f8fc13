namespace Sandbox.Engine.Storage;

/// <summary>
/// A TMC message as the store keeps it until it is confirmed: its envelope, the app group it was routed to, and its
/// delivery state. Times are the tenant's virtual Unix milliseconds.
/// </summary>
/// <param name="Deliveries">how often it was handed to a consumer</param>
/// <param name="VisibleMs">when it may be handed out again (the end of a lease or of a retry delay)</param>
/// <param name="Holder">the consumer holding it in flight (a connection token, or http), or null</param>
/// <param name="Parked">given up after too many failed deliveries: kept for the admin API, never delivered again</param>
public sealed record TmcMessageRow(
    long Id, string Tenant, string Group, string Topic, long UserId, string UserNick, string Publisher, string Content,
    long PubMs, int Deliveries, long VisibleMs, string? Holder, bool Parked);
