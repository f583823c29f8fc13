namespace Sandbox.LoadTests;

/// <summary>
/// Sends each request meant for the sim to the next of several replicas, as a round-robin proxy in front of them would:
/// consecutive steps of one booking reach different replicas, which share their state through the store.
/// </summary>
internal sealed class ReplicaSpread(Uri target, IReadOnlyList<Uri> replicas) : DelegatingHandler
{
    private int _next = -1;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && uri.Authority == target.Authority)
        {
            var replica = replicas[(int)((uint)Interlocked.Increment(ref _next) % (uint)replicas.Count)];
            request.RequestUri = new UriBuilder(uri) { Scheme = replica.Scheme, Host = replica.Host, Port = replica.Port }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
