using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandbox.Suppliers.FliggyBus.Qimen;

/// <summary>How one Qimen call ended, in the codes of spec §2.3 (the sandbox's own where the document has none).</summary>
public static class QimenOutcome
{
    public const string Success = "success";
    /// <summary>The merchant answered <c>success</c> other than true: a business refusal.</summary>
    public const string Failure = "failure";
    /// <summary>The merchant refused the signature: a configuration error on one side, retried like any failure.</summary>
    public const string SignCheckFailure = "sign-check-failure";
    /// <summary>Not JSON, not an object, or an HTTP status other than 2xx (the code of page apiId=63235's error table).</summary>
    public const string ResponseBodyParseError = "response-body-parse-error";
    public const string Timeout = "timeout";
    /// <summary>No HTTP answer at all (refused, reset, DNS) [sandbox definition].</summary>
    public const string ConnectionError = "connection-error";
}

/// <summary>
/// A merchant reply read as spec §2.3: a flat JSON object of business fields plus <c>retCode</c>, <c>retDesc</c>
/// and <c>success</c>, or the same object under a <c>response</c> wrapper (QimenCloud's parser accepts both).
/// <c>success</c> is true only as JSON true or the string "true" in any case; retCode never overrides it.
/// </summary>
public sealed record QimenReply(string Outcome, JsonObject? Fields, bool Success, string? RetCode, string? RetDesc, string? Error)
{
    public const string SignCheckFailureCode = "sign-check-failure";

    public static QimenReply Parse(int httpStatus, string body)
    {
        if (httpStatus is < 200 or > 299)
            return new(QimenOutcome.ResponseBodyParseError, null, false, null, null, $"HTTP {httpStatus}");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return new(QimenOutcome.ResponseBodyParseError, null, false, null, null, "not JSON: " + e.Message);
        }
        if (node is not JsonObject root)
            return new(QimenOutcome.ResponseBodyParseError, null, false, null, null, "not a JSON object");
        var fields = root.Count == 1 && root["response"] is JsonObject wrapped ? wrapped : root;
        var success = fields["success"] is JsonValue v
                      && ((v.TryGetValue<bool>(out var b) && b)
                          || (v.TryGetValue<string>(out var s) && string.Equals(s, "true", StringComparison.OrdinalIgnoreCase)));
        var retCode = Text(fields["retCode"]);
        var retDesc = Text(fields["retDesc"]);
        var outcome = success ? QimenOutcome.Success
            : retCode == SignCheckFailureCode ? QimenOutcome.SignCheckFailure
            : QimenOutcome.Failure;
        return new(outcome, fields, success, retCode, retDesc, null);
    }

    static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
