using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.LoadTests.Framework;

namespace Sandbox.LoadTests.Callbacks;

/// <summary>
/// The sandbox's own supplier modules, in this process on a throw-away store, encoding one supplier's real callbacks
/// (format, signing, headers) for the integrator's receiver; each delivery is checked against the supplier's
/// acknowledgement contract and timeout. Nothing is listened on: the modules only build messages.
/// </summary>
public sealed class CallbackSource : IAsyncDisposable
{
    public const string CallbackIdHeader = "X-Sandbox-Callback-Id";

    readonly InProcessSandbox _sandbox;
    readonly ISupplierModule _module;
    readonly Tenant _tenant;
    readonly Engine.Scenarios.Scenario _scenario;
    readonly IStore _store;
    readonly CallbackSamples.Sample _sample;
    readonly Uri _target;
    long _sequence;

    public string Callback => _sample.Callback;
    public TimeSpan Timeout => _module.CallbackContract.Timeout;

    CallbackSource(InProcessSandbox sandbox, CallbackSamples.Sample sample, Uri target)
    {
        _sandbox = sandbox;
        var app = sandbox.App;
        _sample = sample;
        _target = target;
        _module = app.Services.GetServices<ISupplierModule>().Single(m => m.Supplier == sample.Supplier);
        _store = app.Services.GetRequiredService<IStore>();
        // The demo tenant of tenants.yaml, its callbacks sent to the receiver under test.
        _tenant = app.Services.GetRequiredService<TenantRegistry>().Find("demo")
                  ?? throw new InvalidOperationException("tenants.yaml has no demo tenant");
        _tenant.Callbacks[sample.Supplier] = target.ToString();
        _scenario = app.Services.GetRequiredService<ScenarioCatalog>().For(sample.Supplier, "default");
    }

    public static IReadOnlyList<string> Suppliers => CallbackSamples.All.Select(s => s.Supplier).ToList();

    public static async Task<CallbackSource> StartAsync(string supplier, Uri target)
    {
        var sample = CallbackSamples.All.SingleOrDefault(s => s.Supplier == supplier)
                     ?? throw new ArgumentException($"--supplier must be one of {string.Join(", ", Suppliers)}");
        return new CallbackSource(await InProcessSandbox.StartAsync("sandbox-callbacks-"), sample, target);
    }

    /// <summary>The next message: a new entity, encoded and signed by the module, addressed to the receiver.</summary>
    public HttpRequestMessage Next()
    {
        var n = Interlocked.Increment(ref _sequence);
        var entity = _sample.Entity(n);
        var message = _module.BuildCallback(new TransitionContext
        {
            Tenant = _tenant,
            Scenario = _scenario,
            Kind = _sample.Kind,
            Entity = entity,
            From = _sample.From,
            To = _sample.To,
            Emit = _sample.Callback,
            Cause = "callbacks load",
            Uow = new UnitOfWork(_store),
            VirtualNowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        }, _sample.Callback) ?? throw new InvalidOperationException($"{_sample.Supplier} built no {_sample.Callback} for the sample entity");
        var url = message.Target.Url ?? CallbackTarget.Join(_target.ToString(), message.Target.TenantSuffix ?? "");
        var request = new HttpRequestMessage(new HttpMethod(message.Method), url);
        if (message.Body.Length > 0 || message.Method == "POST")
        {
            request.Content = new ByteArrayContent(message.Body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", message.ContentType);
        }
        request.Headers.TryAddWithoutValidation(CallbackIdHeader, "load-" + n);
        request.Headers.TryAddWithoutValidation("X-Sandbox-Attempt", "1");
        request.Headers.TryAddWithoutValidation("X-Sandbox-Emitted-At", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>
    /// Sends one message and judges the answer by the supplier's contract. Contract violations are failures whose status
    /// code names the kind: the HTTP status, <c>wrong-ack</c> (2xx with a body that does not acknowledge), <c>timeout</c>
    /// (beyond the supplier's wait), <c>reset</c> (connection refused or dropped).
    /// </summary>
    public async Task<Response<object?>> DeliverAsync(HttpClient http, CancellationToken ct)
    {
        using var request = Next();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if (_module.CallbackContract.IsAcknowledged(status, body)) return Response.Ok();
            return status is >= 200 and < 300
                ? Response.Fail("wrong-ack", $"HTTP {status} without the acknowledgement {_sample.Supplier} requires: '{Excerpt(body)}'")
                : Response.Fail(status.ToString(System.Globalization.CultureInfo.InvariantCulture), $"HTTP {status}: '{Excerpt(body)}'");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Response.Fail("timeout", $"no answer within {Timeout.TotalSeconds:0.#} s (the supplier gives up and retries)");
        }
        catch (HttpRequestException e)
        {
            return Response.Fail("reset", e.HttpRequestError == HttpRequestError.ConnectionError || e.InnerException is IOException
                ? $"connection refused or reset: {e.Message}"
                : e.Message);
        }
    }

    static string Excerpt(string body)
    {
        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 80 ? flat : flat[..80] + "…";
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
    }
}
