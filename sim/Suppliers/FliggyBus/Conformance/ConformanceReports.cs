using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Sandbox.Suppliers.FliggyBus.Conformance;

/// <summary>A conformance run as JUnit XML (for CI systems) and as a self-contained HTML page (for people).</summary>
public static class ConformanceReports
{
    const string Suite = "fliggybus-conformance";

    /// <summary>One testcase per check: a failure carries the reason, findings, reply and curl; a skipped check is skipped.</summary>
    public static string JUnit(ConformanceReport report)
    {
        var seconds = report.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        var suite = new XElement("testsuite",
            new XAttribute("name", Suite),
            new XAttribute("tests", report.Checks.Count),
            new XAttribute("failures", report.Failed),
            new XAttribute("errors", 0),
            new XAttribute("skipped", report.Skipped),
            new XAttribute("time", seconds),
            new XAttribute("timestamp", report.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties", new XElement("property", new XAttribute("name", "url"), new XAttribute("value", report.Url))),
            report.Checks.Select(Case));
        var root = new XElement("testsuites", new XAttribute("name", Suite), new XAttribute("tests", report.Checks.Count),
            new XAttribute("failures", report.Failed), new XAttribute("skipped", report.Skipped), new XAttribute("time", seconds), suite);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root;
    }

    static XElement Case(CheckResult c)
    {
        var e = new XElement("testcase", new XAttribute("classname", Suite), new XAttribute("name", c.Name),
            new XAttribute("time", ((c.Call?.LatencyMs ?? 0) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)));
        switch (c.Status)
        {
            case CheckStatus.Fail:
                e.Add(new XElement("failure", new XAttribute("message", c.Reason), new XAttribute("type", "conformance"), Details(c)));
                break;
            case CheckStatus.Skip:
                e.Add(new XElement("skipped", new XAttribute("message", c.Reason)));
                break;
            default:
                e.Add(new XElement("system-out", Details(c)));
                break;
        }
        return e;
    }

    static string Details(CheckResult c)
    {
        var sb = new StringBuilder(c.Reason).Append('\n');
        foreach (var f in c.AllFindings) sb.Append(f).Append('\n');
        if (c.Call is { } call)
        {
            sb.Append("string to sign: ").Append(call.StringToSign).Append('\n');
            sb.Append("reply: HTTP ").Append(call.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "-").Append(' ').Append(call.ReplyBody ?? call.Error).Append('\n');
            sb.Append("reproduce: ").Append(c.Curl).Append('\n');
        }
        return sb.ToString();
    }

    public static string Html(ConformanceReport report)
    {
        static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fliggy custom bus conformance</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}")
          .Append("td,th{border:1px solid #ddd;padding:.4em;vertical-align:top;text-align:left}th{background:#f4f4f4}")
          .Append(".PASS{color:#1a7f37;font-weight:bold}.FAIL{color:#cf222e;font-weight:bold}.SKIP{color:#9a6700;font-weight:bold}")
          .Append("pre{white-space:pre-wrap;word-break:break-all;margin:.3em 0;font-size:.85em;background:#f6f8fa;padding:.4em}")
          .Append("details summary{cursor:pointer;color:#0969da}</style></head><body>");
        sb.Append("<h1>Fliggy custom bus: operator conformance</h1><p>Operator <code>").Append(H(report.Url)).Append("</code>, ")
          .Append(H(report.StartedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))).Append(", ")
          .Append(report.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s.</p><p><strong>")
          .Append(report.Passed).Append(" passed, ").Append(report.Failed).Append(" failed, ").Append(report.Skipped).Append(" skipped</strong> — ")
          .Append(report.Conforms ? "the operator conforms." : "the operator does not conform yet.").Append("</p>");
        sb.Append("<table><tr><th>check</th><th>result</th><th>reason</th><th>call</th></tr>");
        foreach (var c in report.Checks)
        {
            var verdict = c.Status switch { CheckStatus.Pass => "PASS", CheckStatus.Fail => "FAIL", _ => "SKIP" };
            sb.Append("<tr><td><code>").Append(H(c.Name)).Append("</code></td><td class=\"").Append(verdict).Append("\">").Append(verdict)
              .Append("</td><td>").Append(H(c.Reason));
            if (c.AllFindings.Count > 0)
            {
                sb.Append("<ul>");
                foreach (var f in c.AllFindings) sb.Append("<li>").Append(H(f.ToString())).Append("</li>");
                sb.Append("</ul>");
            }
            sb.Append("</td><td>");
            if (c.Call is { } call)
                sb.Append("<details><summary>").Append(H(call.Method)).Append(", ").Append(call.LatencyMs).Append(" ms</summary>")
                  .Append("<pre>").Append(H(call.Body)).Append("</pre><pre>string to sign: ").Append(H(call.StringToSign)).Append("</pre>")
                  .Append("<pre>HTTP ").Append(H(call.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "-")).Append(' ').Append(H(call.ReplyBody ?? call.Error))
                  .Append("</pre><pre>").Append(H(c.Curl)).Append("</pre></details>");
            sb.Append("</td></tr>");
        }
        return sb.Append("</table></body></html>\n").ToString();
    }
}
