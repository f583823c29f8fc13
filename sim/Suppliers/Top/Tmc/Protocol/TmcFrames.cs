namespace Sandbox.Suppliers.Top.Tmc.Protocol;

/// <summary>The messages the server sends (spec §3.3.4, §3.3.5), in the shapes both public clients accept.</summary>
public static class TmcFrames
{
    /// <summary>Success: a token and the CONNECT's flag (Java matches the reply to its CONNECT by flag), nothing else.</summary>
    public static TmcFrame ConnectAck(byte version, string token, int flag) =>
        new() { Version = version, Type = TmcMessageType.ConnectAck, Token = token, Flag = flag };

    /// <summary>Refusal: status and phrase, the flag echoed, no token (tmc.js keeps a token only from an ack without status).</summary>
    public static TmcFrame Refusal(byte version, int status, string phrase, int flag) =>
        new() { Version = version, Type = TmcMessageType.ConnectAck, StatusCode = status, StatusPhrase = phrase, Flag = flag };

    /// <summary>The reply to a client publish: no status means success to Java's sendAndWait.</summary>
    public static TmcFrame SendAck(byte version, string token, int flag) =>
        new() { Version = version, Type = TmcMessageType.SendAck, Token = token, Flag = flag };

    /// <summary>
    /// A push. id and userid are Int64 and time/outtime Date, the types Java's TmcHandler.parse casts to (a String
    /// there throws ClassCastException); retried is 0 on the first delivery, as tmc.js's README example expects.
    /// </summary>
    public static TmcFrame Data(byte version, string token, TmcMessage m, int retried, long outMs) =>
        new TmcFrame { Version = version, Type = TmcMessageType.Send, Token = token }
            .With(TmcKind.Header, TmcKind.Data)
            .With("id", m.Id)
            .With("topic", m.Topic)
            .With("content", m.Content)
            .With("time", DateTimeOffset.FromUnixTimeMilliseconds(m.PubMs))
            .With("publisher", m.Publisher)
            .With("userid", m.UserId)
            .With("nick", m.UserNick)
            .With("outtime", DateTimeOffset.FromUnixTimeMilliseconds(outMs))
            .With("retried", retried);
}
