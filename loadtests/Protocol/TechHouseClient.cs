using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sandbox.LoadTests.Framework;

namespace Sandbox.LoadTests.Protocol;

public sealed record TechHouseCredentials(string Key, string Secret)
{
    /// <summary>The sim's demo tenant, which is also the published signature test vector.</summary>
    public static readonly TechHouseCredentials Demo = new("ctPJAIdxUA3ptaWC", "024sYXZXMlFKaiAa65IYuMCB0hE2CgaP");
}

public static class TechHouseSignature
{
    public const string VectorTimestamp = "1500375695.65";
    public const string VectorSignature = "15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=";

    /// <summary>Base64(AES-256-CBC(key + "&amp;" + timestamp)), AES key = secret zero-padded/truncated to 32 bytes, zero IV, PKCS7.</summary>
    public static string Sign(string key, string secret, string timestamp)
    {
        var aesKey = new byte[32];
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        secretBytes.AsSpan(0, Math.Min(secretBytes.Length, aesKey.Length)).CopyTo(aesKey);
        using var aes = Aes.Create();
        aes.Key = aesKey;
        return Convert.ToBase64String(aes.EncryptCbc(Encoding.UTF8.GetBytes($"{key}&{timestamp}"), new byte[16], PaddingMode.PKCS7));
    }

    /// <summary>Checks <see cref="Sign"/> against the published vector, so a wrong implementation never reaches a benchmark.</summary>
    public static bool MatchesTestVector() =>
        Sign(TechHouseCredentials.Demo.Key, TechHouseCredentials.Demo.Secret, VectorTimestamp) == VectorSignature;

    /// <summary>Unix seconds with two decimals, as TechHouse clients send it.</summary>
    public static string Timestamp(DateTimeOffset time)
    {
        var centiseconds = time.ToUnixTimeMilliseconds() / 10;
        return $"{centiseconds / 100}.{centiseconds % 100:D2}";
    }
}

/// <summary>Signed TechHouse calls over one shared <see cref="HttpClient"/>.</summary>
public sealed class TechHouseClient
{
    public const string ProtocolVersion = "2.0.3";

    private readonly HttpClient _http;
    private readonly Uri _bookingUri;
    private readonly Uri _orderUri;
    private readonly TechHouseCredentials _credentials;
    private readonly CoarseTimeout _timeout = new(TimeSpan.FromSeconds(30));
    private SignedTimestamp? _current;

    public TechHouseClient(HttpClient http, Uri baseUrl, TechHouseCredentials credentials)
    {
        _http = http;
        _bookingUri = new Uri(baseUrl, "flight/booking");
        _orderUri = new Uri(baseUrl, "flight/order");
        _credentials = credentials;
    }

    public Task<LowFareSearchReply> LowFareSearchAsync(LowFareSearchRequest request, CancellationToken ct) =>
        CallAsync(_bookingUri, "LowFareSearch", request, TechHouseJson.Default.EnvelopeLowFareSearchRequest, TechHouseJson.Default.LowFareSearchReply, ct);

    public Task<AirPricingReply> AirPricingAsync(AirPricingRequest request, CancellationToken ct) =>
        CallAsync(_bookingUri, "AirPricing", request, TechHouseJson.Default.EnvelopeAirPricingRequest, TechHouseJson.Default.AirPricingReply, ct);

    public Task<TechHouseReply> SetPassengersAsync(SetPassengersRequest request, CancellationToken ct) =>
        CallAsync(_bookingUri, "SetPassengers", request, TechHouseJson.Default.EnvelopeSetPassengersRequest, TechHouseJson.Default.TechHouseReply, ct);

    public Task<TechHouseReply> SetPaymentToBookingAsync(SetPaymentToBookingRequest request, CancellationToken ct) =>
        CallAsync(_bookingUri, "SetPaymentToBooking", request, TechHouseJson.Default.EnvelopeSetPaymentToBookingRequest, TechHouseJson.Default.TechHouseReply, ct);

    public Task<CommitReply> CommitAsync(CommitRequest request, CancellationToken ct) =>
        CallAsync(_bookingUri, "Commit", request, TechHouseJson.Default.EnvelopeCommitRequest, TechHouseJson.Default.CommitReply, ct);

    public Task<TechHouseReply> GetBalanceAsync(CancellationToken ct) =>
        CallAsync(_orderUri, "GetBalance", new GetBalanceRequest(), TechHouseJson.Default.EnvelopeGetBalanceRequest, TechHouseJson.Default.TechHouseReply, ct);

    /// <summary>The exact JSON body of a GetBalance call signed at <paramref name="timestamp"/>, for replaying with other tools.</summary>
    public static string GetBalanceBody(TechHouseCredentials credentials, string timestamp) =>
        JsonSerializer.Serialize(
            new Envelope<GetBalanceRequest>(
                "GetBalance", credentials.Key, timestamp, TechHouseSignature.Sign(credentials.Key, credentials.Secret, timestamp), ProtocolVersion, new GetBalanceRequest()),
            TechHouseJson.Default.EnvelopeGetBalanceRequest);

    private async Task<TReply> CallAsync<TRequest, TReply>(
        Uri uri, string action, TRequest request, JsonTypeInfo<Envelope<TRequest>> requestInfo, JsonTypeInfo<TReply> replyInfo, CancellationToken ct)
        where TReply : TechHouseReply
    {
        var stamp = CurrentTimestamp();
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new Envelope<TRequest>(action, _credentials.Key, stamp.Timestamp, stamp.Signature, ProtocolVersion, request), requestInfo);
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var token = _timeout.Token(ct);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{action} returned HTTP {(int)response.StatusCode}", null, response.StatusCode);
            }

            return await response.Content.ReadFromJsonAsync(replyInfo, token)
                ?? throw new JsonException($"{action} returned an empty body");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{action} got no reply within {_timeout.Timeout.TotalSeconds:0} s");
        }
    }

    // Signing costs an AES key schedule; every request within the same 10 ms tick shares one signature, so the
    // generator signs at most 100 times a second whatever the load. Racing threads may both sign once: harmless.
    private SignedTimestamp CurrentTimestamp()
    {
        var now = DateTimeOffset.UtcNow;
        var tick = now.ToUnixTimeMilliseconds() / 10;
        var current = Volatile.Read(ref _current);
        if (current?.Tick != tick)
        {
            var timestamp = TechHouseSignature.Timestamp(now);
            current = new SignedTimestamp(tick, timestamp, TechHouseSignature.Sign(_credentials.Key, _credentials.Secret, timestamp));
            Volatile.Write(ref _current, current);
        }

        return current;
    }

    private sealed record SignedTimestamp(long Tick, string Timestamp, string Signature);
}
