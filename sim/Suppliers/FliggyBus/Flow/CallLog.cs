using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Sandbox.Engine;
using Sandbox.Engine.Journal;
using Sandbox.Suppliers.FliggyBus.Config;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// The Qimen call log: every call Fliggy makes into a merchant goes to the engine's request journal (bounded, written
/// in the background, never on the caller's path) as a row of the <c>fliggybus</c> supplier whose operation is the Qimen
/// method — path the merchant's URL with its signed query, request the body, response the reply, result code <c>0</c>
/// for a reply Fliggy took and the verdict otherwise, signature <c>failed</c> when the merchant refused the signature —
/// and whose diagnostic holds the rest as JSON: attempt, verdict, headers, string to sign (secret masked), sign,
/// retCode/retDesc, the reason a reply could not be read and the validation findings. Read back as
/// <c>GET /admin/api/tenants/{tenant}/fliggybus/calls</c>. <see cref="CallStats"/> counts every call as well.
/// </summary>
public sealed class CallLog(RequestJournal journal, IOptions<SandboxOptions> options, CallStats stats)
{
    const int MaxFindings = 20;
    readonly int _maxChars = options.Value.Journal.MaxBodyChars;

    public void Record(string tenant, QimenCall call, int attempt, int attempts, string? entityKey, long virtualMs)
    {
        stats.Record(tenant, call);
        journal.Record(new JournalEntry(
            call.SentAt.ToUnixTimeMilliseconds(), tenant, FliggyBusCredentials.Supplier, call.Method, "POST", call.Url, null, call.HttpStatus ?? 0,
            call.Accepted ? "0" : call.Verdict, call.Outcome == QimenOutcome.SignCheckFailure ? "failed" : "none", call.LatencyMicros, entityKey,
            call.Body, null, call.ReplyBody ?? call.Error, null, Details(call, attempt, attempts, virtualMs)));
    }

    /// <summary>The diagnostic document; findings are cut first, then the string to sign, to stay within the journal's column size.</summary>
    string Details(QimenCall call, int attempt, int attempts, long virtualMs)
    {
        var o = new JsonObject
        {
            ["attempt"] = attempt,
            ["attempts"] = attempts,
            ["verdict"] = call.Verdict,
            ["virtualAt"] = DateTimeOffset.FromUnixTimeMilliseconds(virtualMs).ToString("O"),
            ["retCode"] = call.RetCode,
            ["retDesc"] = call.RetDesc,
            ["error"] = call.Error,
            ["headers"] = new JsonObject(call.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
            ["sign"] = call.Sign,
            ["stringToSign"] = call.StringToSign,
            ["findingCount"] = call.Findings.Count,
            ["findings"] = new JsonArray(call.Findings.Take(MaxFindings).Select(f => (JsonNode)f.ToString()).ToArray()),
        };
        var text = o.ToJsonString();
        if (text.Length <= _maxChars) return text;
        o["findings"] = new JsonArray(call.Findings.Take(3).Select(f => (JsonNode)f.ToString()).ToArray());
        text = o.ToJsonString();
        if (text.Length <= _maxChars) return text;
        o.Remove("findings");
        o["stringToSign"] = "(longer than the journal keeps: the secret, the sorted parameters, this call's body, the secret)";
        return o.ToJsonString();
    }

    /// <summary>
    /// The Qimen calls of a tenant, newest first, optionally of one method or one order. The journal holds the TOP calls
    /// of the module too; without a method filter those are read past (up to a bounded look-back).
    /// </summary>
    public async Task<JsonArray> QueryAsync(string tenant, string? method, string? entityKey, int limit)
    {
        await journal.FlushAsync();
        limit = Math.Clamp(limit, 1, 1000);
        var rows = journal.Query(tenant, FliggyBusCredentials.Supplier, method, entityKey, method is null ? Math.Min(limit * 4, 5000) : limit);
        var calls = new JsonArray();
        foreach (var row in rows.OfType<JsonObject>())
        {
            if (row["operation"]?.ToString() is not { } op || !QimenMethods.IsKnown(op)) continue;
            calls.Add(View(row));
            if (calls.Count == limit) break;
        }
        return calls;
    }

    static JsonObject View(JsonObject row)
    {
        JsonObject? details = null;
        if (row["diagnostic"]?.ToString() is { } d)
            try
            {
                details = JsonNode.Parse(d) as JsonObject;
            }
            catch (JsonException)
            {
                details = new JsonObject { ["unreadable"] = d };
            }
        var view = new JsonObject
        {
            ["id"] = row["id"]?.DeepClone(),
            ["at"] = row["at"]?.DeepClone(),
            ["virtualAt"] = details?["virtualAt"]?.DeepClone(),
            ["method"] = row["operation"]?.DeepClone(),
            ["order"] = row["entity"]?.ToString() is { } e ? e[(e.LastIndexOf(':') + 1)..] : null,
            ["attempt"] = details?["attempt"]?.DeepClone(),
            ["attempts"] = details?["attempts"]?.DeepClone(),
            ["verdict"] = details?["verdict"]?.DeepClone(),
            ["url"] = row["path"]?.DeepClone(),
            ["headers"] = details?["headers"]?.DeepClone(),
            ["body"] = row["request"]?.DeepClone(),
            ["stringToSign"] = details?["stringToSign"]?.DeepClone(),
            ["sign"] = details?["sign"]?.DeepClone(),
            ["httpStatus"] = row["httpStatus"]?.DeepClone(),
            ["latencyMs"] = row["durationMs"]?.DeepClone(),
            ["reply"] = row["response"]?.DeepClone(),
            ["retCode"] = details?["retCode"]?.DeepClone(),
            ["retDesc"] = details?["retDesc"]?.DeepClone(),
            ["error"] = details?["error"]?.DeepClone(),
            ["findingCount"] = details?["findingCount"]?.DeepClone(),
            ["findings"] = details?["findings"]?.DeepClone(),
        };
        if (details?["unreadable"] is { } raw) view["details"] = raw.DeepClone();
        return view;
    }

    public static string Describe(QimenCall call) => call.Verdict switch
    {
        QimenOutcome.Success => "accepted",
        "invalid-reply" => "invalid reply: " + string.Join("; ", call.Findings.Where(f => f.Severity == Validation.Severity.Error).Take(3).Select(f => $"{f.Path}: {f.Reason}")),
        QimenOutcome.Failure => $"refused: retCode {call.RetCode ?? "(none)"}, {call.RetDesc ?? "no retDesc"}",
        QimenOutcome.SignCheckFailure => "the merchant refused Fliggy's signature (sign-check-failure): a configuration error on one side",
        _ => $"{call.Verdict}: {call.Error}",
    } + (call.HttpStatus is { } status && call.Verdict != QimenOutcome.Success ? $" (HTTP {status.ToString(CultureInfo.InvariantCulture)})" : "");
}
