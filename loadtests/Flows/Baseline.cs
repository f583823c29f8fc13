using System.Globalization;
using Sandbox.LoadTests.Framework;

namespace Sandbox.LoadTests.Flows;

/// <summary>
/// The same generator against the sim's cheapest endpoint: its throughput is the ceiling of generator plus HTTP stack
/// on this machine, the yardstick other scenarios are divided by.
/// </summary>
public static class Baseline
{
    public static Scenario Create(HttpClient http, Uri baseUrl)
    {
        var healthz = new Uri(baseUrl, "healthz");
        var timeout = new CoarseTimeout(TimeSpan.FromSeconds(30));
        return Scenario.Create("baseline", async ctx => await Step.Run("healthz", ctx, async () =>
        {
            var token = timeout.Token(ctx.CancellationToken);
            try
            {
                using var response = await http.GetAsync(healthz, token);
                return response.IsSuccessStatusCode
                    ? Response.Ok()
                    : Response.Fail(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), response.ReasonPhrase ?? "");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested && !ctx.CancellationToken.IsCancellationRequested)
            {
                return Response.Fail("timeout", $"no reply within {timeout.Timeout.TotalSeconds:0} s");
            }
        }));
    }
}
