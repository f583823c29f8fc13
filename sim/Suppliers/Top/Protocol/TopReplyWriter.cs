using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>
/// Encodes replies (spec §1.6): standard JSON <c>{"&lt;method&gt;_response":{…,"request_id":…}}</c> with lists wrapped
/// in their item name, simplified JSON (no wrapper, plain arrays), XML with the same element names, and
/// <c>error_response</c> in each (simplified errors keep their wrapper). HTTP 200 always.
/// </summary>
public static class TopReplyWriter
{
    public const string JsonType = "application/json;charset=UTF-8";
    public const string XmlType = "text/xml;charset=UTF-8";
    const string Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>";

    static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    static readonly XmlWriterSettings XmlSettings = new() { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true, CheckCharacters = false };

    /// <summary>The root name: the method with dots as underscores, a leading <c>taobao.</c> dropped, plus <c>_response</c>.</summary>
    public static string ResponseName(string method) =>
        (method.StartsWith("taobao.", StringComparison.Ordinal) ? method[7..] : method).Replace('.', '_') + "_response";

    /// <summary>
    /// A method's reply; gzipped (<c>Content-Encoding: gzip</c>) when the client accepts it, as the TOP gateway answers the
    /// Java SDK. The journal keeps the reply's text.
    /// </summary>
    public static SupplierReply Success(string method, TopObject fields, TopRequest request, string requestId, string resultCode)
    {
        fields.Set("request_id", requestId);
        var gzip = request.AcceptsGzip;
        byte[] body;
        string? journal = null;
        if (request.Format == TopFormat.Xml)
        {
            body = Xml(ResponseName(method), fields);
            if (gzip)
            {
                journal = JournalHead(body);
                body = GzipMember.Of(body);
            }
        }
        else body = Json(request.Simplify ? null : ResponseName(method), fields, wrapLists: !request.Simplify, gzip, out journal);
        return new SupplierReply
        {
            ContentType = request.Format == TopFormat.Xml ? XmlType : JsonType, Body = body, ResultCode = resultCode, JournalText = journal,
            ContentEncoding = gzip ? "gzip" : null,
        };
    }

    public static SupplierReply Error(TopError error, TopFormat format, string requestId)
    {
        var fields = new TopObject()
            .Add("code", error.Code)
            .Add("msg", error.Msg)
            .Add("sub_code", error.SubCode)
            .Add("sub_msg", error.SubMsg)
            .Add("request_id", requestId);
        var body = format == TopFormat.Xml ? Xml("error_response", fields) : Json("error_response", fields, wrapLists: true, gzip: false, out _);
        return new SupplierReply
        {
            ContentType = format == TopFormat.Xml ? XmlType : JsonType, Body = body,
            ResultCode = error.Code.ToString(CultureInfo.InvariantCulture),
        };
    }

    // One growing buffer per thread: a reply is written without doubling a fresh buffer from 1 KB each time.
    [ThreadStatic] static ArrayBufferWriter<byte>? _buffer;
    [ThreadStatic] static Utf8JsonWriter? _writer;
    // Where pre-encoded values go: the writer writes a one-byte stand-in, and the final array takes the value's bytes
    // (or, gzipped, its deflated bytes) in its place — one copy of a 55 KB item list instead of two, no compression of it.
    [ThreadStatic] static List<Splice>? _splices;

    readonly record struct Splice(int At, TopEncoded Value, bool WrapLists, byte[] Json);

    static byte[] Json(string? root, TopObject fields, bool wrapLists, bool gzip, out string? journal)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        var w = _writer ??= new Utf8JsonWriter(buffer, JsonOptions);
        var splices = _splices ??= [];
        buffer.ResetWrittenCount();
        splices.Clear();
        w.Reset(buffer);
        try
        {
            if (root is not null)
            {
                w.WriteStartObject();
                w.WritePropertyName(root);
            }
            WriteObject(w, fields, wrapLists);
            if (root is not null) w.WriteEndObject();
            w.Flush();
            if (!gzip)
            {
                journal = null;
                return Spliced(buffer.WrittenSpan, splices);
            }
            if (splices.Count == 0)
            {
                journal = JournalHead(buffer.WrittenSpan);
                return GzipMember.Of(buffer.WrittenSpan);
            }
            journal = JournalHead(Spliced(buffer.WrittenSpan, splices, JournalBytes + 1));
            return GzipMember.Joined(buffer.WrittenSpan, splices.ConvertAll(x => new GzipMember.Piece(x.At, DeflateOf(x.Value, x.WrapLists))));
        }
        finally
        {
            splices.Clear();
            // A buffer grown by a rare huge reply is not kept.
            if (buffer.Capacity > 1024 * 1024) (_buffer, _writer) = (null, null);
        }
    }

    /// <summary>The written reply with each stand-in replaced by its value (its first <paramref name="limit"/> bytes):
    /// one array of the exact length, one copy of each part.</summary>
    static byte[] Spliced(ReadOnlySpan<byte> written, List<Splice> splices, int limit = int.MaxValue)
    {
        if (splices.Count == 0) return written.ToArray();
        long length = written.Length;
        foreach (var x in splices) length += x.Json.Length - 1;
        var result = GC.AllocateUninitializedArray<byte>((int)Math.Min(length, limit));
        var to = 0;
        void Add(ReadOnlySpan<byte> part)
        {
            var n = Math.Min(part.Length, result.Length - to);
            part[..n].CopyTo(result.AsSpan(to));
            to += n;
        }
        var from = 0;
        foreach (var splice in splices)
        {
            Add(written[from..splice.At]);
            Add(splice.Json);
            from = splice.At + 1;
        }
        Add(written[from..]);
        return result;
    }

    /// <summary>A pre-encoded value in the thread's reply: a stand-in byte now, the value's bytes in the final array.</summary>
    static void WriteEncoded(Utf8JsonWriter w, TopEncoded e, bool wrapLists)
    {
        var json = JsonOf(e, wrapLists);
        if (!ReferenceEquals(w, _writer) || _splices is not { } splices)
        {
            w.WriteRawValue(json, skipInputValidation: true);
            return;
        }
        w.WriteRawValue("0"u8, skipInputValidation: true);
        w.Flush();
        splices.Add(new Splice((int)w.BytesCommitted - 1, e, wrapLists, json));
    }

    // The journal keeps 4,096 characters of a reply by default: of a compressed one, the text of its first 4 KB.
    const int JournalBytes = 4096;

    /// <summary>The start of a compressed reply's text, for the journal; "…" says it goes on.</summary>
    static string JournalHead(ReadOnlySpan<byte> text) =>
        text.Length <= JournalBytes ? Encoding.UTF8.GetString(text) : Encoding.UTF8.GetString(text[..JournalBytes]) + "…";

    /// <summary>A kept value's JSON deflated for <see cref="GzipMember.Joined"/>, the first time it is gzipped.</summary>
    static GzipMember.Deflated DeflateOf(TopEncoded e, bool wrapLists)
    {
        if ((wrapLists ? e.DeflateWrapped : e.DeflateSimplified) is { } cached) return cached;
        var result = GzipMember.Deflate(JsonOf(e, wrapLists));
        if (wrapLists) e.DeflateWrapped = result;
        else e.DeflateSimplified = result;
        return result;
    }

    /// <summary>A pre-encoded value's JSON, encoded on its own the first time (a nested writer: the thread's own is busy).</summary>
    static byte[] JsonOf(TopEncoded e, bool wrapLists)
    {
        var cached = wrapLists ? e.JsonWrapped : e.JsonSimplified;
        if (cached is not null) return cached;
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer, JsonOptions)) WriteValue(w, e.Value, wrapLists);
        cached = buffer.WrittenSpan.ToArray();
        if (wrapLists) e.JsonWrapped = cached;
        else e.JsonSimplified = cached;
        return cached;
    }

    /// <summary>A pre-encoded value's XML content (the elements inside its own), encoded the first time.</summary>
    static string XmlOf(TopEncoded e, string name)
    {
        if (e.Xml is { } cached) return cached;
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var w = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, CheckCharacters = false, ConformanceLevel = ConformanceLevel.Fragment }))
            WriteContent(w, e.Value, name);
        return e.Xml = text.ToString();
    }

    static void WriteObject(Utf8JsonWriter w, TopObject o, bool wrapLists)
    {
        w.WriteStartObject();
        foreach (var (name, value) in o.Fields)
        {
            w.WritePropertyName(name);
            WriteValue(w, value, wrapLists);
        }
        w.WriteEndObject();
    }

    static void WriteValue(Utf8JsonWriter w, object value, bool wrapLists)
    {
        switch (value)
        {
            case string s: w.WriteStringValue(s); break;
            case long l: w.WriteNumberValue(l); break;
            case bool b: w.WriteBooleanValue(b); break;
            case TopMoney m: w.WriteRawValue(m.ToString(), skipInputValidation: true); break;
            case TopObject o: WriteObject(w, o, wrapLists); break;
            case TopEncoded e: WriteEncoded(w, e, wrapLists); break;
            case TopList list:
                if (wrapLists)
                {
                    w.WriteStartObject();
                    w.WritePropertyName(list.ItemName);
                }
                w.WriteStartArray();
                foreach (var item in list.Items) WriteValue(w, item, wrapLists);
                w.WriteEndArray();
                if (wrapLists) w.WriteEndObject();
                break;
            default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    static byte[] Xml(string root, TopObject fields)
    {
        var stream = new MemoryStream(1024);
        stream.Write(Encoding.UTF8.GetBytes(Declaration + "\n"));
        using (var w = XmlWriter.Create(stream, XmlSettings))
        {
            w.WriteStartElement(root);
            WriteElements(w, fields);
            w.WriteEndElement();
        }
        return stream.ToArray();
    }

    static void WriteElements(XmlWriter w, TopObject o)
    {
        foreach (var (name, value) in o.Fields) WriteElement(w, name, value);
    }

    static void WriteElement(XmlWriter w, string name, object value)
    {
        w.WriteStartElement(name);
        if (value is TopEncoded e) w.WriteRaw(XmlOf(e, name));
        else WriteContent(w, value, name);
        w.WriteEndElement();
    }

    static void WriteContent(XmlWriter w, object value, string name)
    {
        switch (value)
        {
            case TopEncoded e: WriteContent(w, e.Value, name); break;
            case TopObject o: WriteElements(w, o); break;
            case TopList list:
                foreach (var item in list.Items) WriteElement(w, list.ItemName, item);
                break;
            case bool b: w.WriteString(b ? "true" : "false"); break;
            default: w.WriteString(XmlSafe(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")); break;
        }
    }

    /// <summary>Characters XML 1.0 cannot carry (control characters an integrator put in a name) are dropped, not sent broken.</summary>
    static string XmlSafe(string s)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < s.Length; i++)
        {
            var pair = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
            var ok = pair || XmlConvert.IsXmlChar(s[i]);
            if (!ok) sb ??= new StringBuilder(s, 0, i, s.Length);
            else if (sb is not null)
            {
                sb.Append(s[i]);
                if (pair) sb.Append(s[i + 1]);
            }
            if (pair) i++;
        }
        return sb?.ToString() ?? s;
    }
}
