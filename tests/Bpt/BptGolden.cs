using System.Text.RegularExpressions;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Bpt;

/// <summary>
/// Golden BPT replies: the reply text (XML or JSON, as sent, decoded from GBK) compared with
/// tests/Golden/bpt/&lt;name&gt;.txt after masking the per-run payment numbers. Like <see cref="Golden"/>: a
/// difference fails and writes &lt;name&gt;.received.txt; a missing golden is written and fails once.
/// </summary>
public static partial class BptGolden
{
    [GeneratedRegex("<(orderid|orderno|tradeno|outtradeno)>[^<]+</")]
    private static partial Regex XmlVolatile();

    [GeneratedRegex("\"(orderid|orderno|tradeno|outtradeno)\":\"[^\"]+\"")]
    private static partial Regex JsonVolatile();

    public static string Normalise(string text) =>
        JsonVolatile().Replace(XmlVolatile().Replace(text, m => $"<{m.Groups[1].Value}>*</"), m => $"\"{m.Groups[1].Value}\":\"*\"");

    public static void Assert(string name, string text)
    {
        var actual = Normalise(text) + "\n";
        var path = Path.Combine(RepoPaths.Golden, "bpt", name + ".txt");
        var received = Path.Combine(RepoPaths.Golden, "bpt", name + ".received.txt");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            Xunit.Assert.Fail($"golden file {path} did not exist; it was written now — review it and run again");
        }
        if (File.ReadAllText(path).ReplaceLineEndings("\n") != actual)
        {
            File.WriteAllText(received, actual);
            Xunit.Assert.Fail($"reply differs from golden {path}; the new reply is in {received}");
        }
        if (File.Exists(received)) File.Delete(received);
    }
}
