using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sandbox.Tests.Infrastructure;

/// <summary>
/// Golden replies: a reply is normalised (ids, tokens, times) and compared with tests/Golden/&lt;name&gt;.json.
/// A difference fails the test and writes &lt;name&gt;.received.json next to the golden file for review;
/// a missing golden file is created and the test fails once, so a new golden is always looked at.
/// </summary>
public static partial class Golden
{
    static readonly HashSet<string> Volatile = new(StringComparer.OrdinalIgnoreCase)
    {
        "data", "sessionId", "searchId", "orderNo", "timeflag", "createTime", "orderDate", "paymentDate", "ticketNo",
        "depTime", "arrTime", "depDate", "flightno",
    };

    [GeneratedRegex(@"\b20\d{10}\b")]
    private static partial Regex Stamp();

    public static string Normalise(JsonNode? node)
    {
        var copy = node?.DeepClone();
        Walk(copy);
        return JsonSerializer.Serialize(copy, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                    if (Volatile.Contains(key) && o[key] is JsonValue) o[key] = "<" + key + ">";
                    else Walk(o[key]);
                break;
            case JsonArray a:
                foreach (var item in a) Walk(item);
                break;
        }
    }

    public static void Assert(string name, JsonNode? reply)
    {
        var actual = Normalise(reply);
        var path = Path.Combine(RepoPaths.Golden, name + ".json");
        var received = Path.Combine(RepoPaths.Golden, name + ".received.json");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            Xunit.Assert.Fail($"golden file {path} did not exist; it was written now — review it and run again");
        }
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual.ReplaceLineEndings("\n"))
        {
            File.WriteAllText(received, actual);
            Xunit.Assert.Fail($"reply differs from golden {path}; the new reply is in {received}");
        }
        if (File.Exists(received)) File.Delete(received);
    }
}
