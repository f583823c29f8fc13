using System.Text.Json.Serialization;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>A TOP top-level error (spec §1.6.4 / §1.7) as a value: the gateway encodes it as its error_response.</summary>
public sealed record TmcError(int Code, string Msg, string? SubCode, string? SubMsg)
{
    public static TmcError Missing(string name) =>
        new(40, "Missing required arguments:" + name, "isv.missing-parameter", $"参数 {name} 必须填写 ({name} is required)");

    public static TmcError Invalid(string name, string why, string subCode = "isv.invalid-parameter") =>
        new(41, "Invalid arguments:" + name, subCode, why);
}

/// <summary>What a TMC API call answers: its result fields, or a <see cref="TmcError"/>.</summary>
public readonly record struct TmcResult<T>(T? Value, TmcError? Error) where T : class
{
    public static implicit operator TmcResult<T>(T value) => new(value, null);
    public static implicit operator TmcResult<T>(TmcError error) => new(null, error);
}

/// <summary>
/// One message of taobao.tmc.messages.consume (Java SDK domain/TmcMessage.java). In standard JSON and XML the list
/// is <c>messages</c> with item name <c>tmc_message</c>; <c>pub_time</c> is <c>yyyy-MM-dd HH:mm:ss</c> GMT+8.
/// </summary>
public sealed record TmcMessageView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("pub_time")] string PubTime,
    [property: JsonPropertyName("pub_app_key")] string PubAppKey,
    [property: JsonPropertyName("user_id")] long UserId,
    [property: JsonPropertyName("user_nick")] string UserNick);

/// <summary>taobao.tmc.messages.consume: <c>messages</c> (item <c>tmc_message</c>), empty when nothing is deliverable.</summary>
public sealed record TmcConsumeResult([property: JsonPropertyName("messages")] IReadOnlyList<TmcMessageView> Messages);

/// <summary>taobao.tmc.messages.confirm, taobao.tmc.user.permit, taobao.tmc.user.cancel.</summary>
public sealed record TmcIsSuccessResult([property: JsonPropertyName("is_success")] bool IsSuccess);

/// <summary>
/// TmcUser of taobao.tmc.user.get (Go SDK metadata taobao_tmc_user_get.json), with only the fields asked for
/// (<c>topics</c> always); null fields are left out. <c>topics</c> is a String[] (item name <c>string</c>).
/// </summary>
public sealed record TmcUserView
{
    [JsonPropertyName("user_nick")] public string? UserNick { get; init; }
    [JsonPropertyName("user_id")] public long? UserId { get; init; }
    [JsonPropertyName("topics")] public IReadOnlyList<string>? Topics { get; init; }
    [JsonPropertyName("is_valid")] public bool? IsValid { get; init; }
    [JsonPropertyName("created")] public string? Created { get; init; }
    [JsonPropertyName("modified")] public string? Modified { get; init; }
    [JsonPropertyName("user_platform")] public string? UserPlatform { get; init; }
    [JsonPropertyName("group_name")] public string? GroupName { get; init; }
}

/// <summary>taobao.tmc.user.get: <c>tmc_user</c>, absent when the app has not opened the service for that nick.</summary>
public sealed record TmcUserGetResult([property: JsonPropertyName("tmc_user")] TmcUserView? TmcUser);

/// <summary>The session's user, as the gateway resolved it from the <c>session</c> parameter (spec §1.8).</summary>
public sealed record TmcSessionUser(long UserId, string UserNick);
