using System.Text;

namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>What the sandbox says about a reply in <c>X-Sandbox-Diagnostic</c>: printable ASCII only, at most 1 KB.</summary>
public static class TopDiagnostic
{
    public const int MaxLength = 1024;

    /// <summary>Non-ASCII and control characters as \uXXXX: what a response header can carry.</summary>
    public static string Ascii(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s) sb.Append(ch is >= ' ' and <= '~' ? ch.ToString() : $"\\u{(int)ch:X4}");
        return sb.ToString();
    }

    public static string Header(string s)
    {
        var ascii = Ascii(s);
        return ascii.Length <= MaxLength ? ascii : ascii[..(MaxLength - 3)] + "...";
    }
}
