using System.Text.Json.Serialization;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.Top.Sessions;

/// <summary>
/// A user authorization of the tenant's app (spec §1.8): the session key (the entity id), whose Taobao account it
/// stands for, when it expires on the tenant's virtual clock, and the two account facts the flight APIs check.
/// Status is <c>valid</c> or <c>revoked</c>.
/// </summary>
public sealed class TopSession : Entity
{
    public const string Valid = "valid";
    public const string Revoked = "revoked";

    [JsonPropertyName("userId")] public long UserId { get; set; }
    [JsonPropertyName("userNick")] public string UserNick { get; set; } = "";
    [JsonPropertyName("expiresMs")] public long? ExpiresMs { get; set; }
    [JsonPropertyName("channelAssigned")] public bool ChannelAssigned { get; set; } = true;
    [JsonPropertyName("payAgreementSigned")] public bool PayAgreementSigned { get; set; } = true;
}

/// <summary>What an API handler learns about its caller from the session.</summary>
public sealed record TopSessionInfo(string Key, long UserId, string UserNick, bool ChannelAssigned, bool PayAgreementSigned);
