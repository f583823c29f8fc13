using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sandbox.Engine.Tenants;

/// <summary>
/// One integrator: its credentials per supplier, the callback URL each supplier calls, the scenario set it runs
/// and free-form per-supplier settings. The JSON shape is the admin API's contract.
/// </summary>
public sealed class Tenant
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("disabled")] public bool Disabled { get; set; }
    [JsonPropertyName("credentials")] public Dictionary<string, JsonObject> Credentials { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    [JsonPropertyName("callbacks")] public Dictionary<string, string> Callbacks { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    [JsonPropertyName("scenarios")] public Dictionary<string, string> Scenarios { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    [JsonPropertyName("settings")] public Dictionary<string, JsonObject> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonObject? CredentialsFor(string supplier) => Credentials.GetValueOrDefault(supplier);

    public string? Credential(string supplier, string field) =>
        CredentialsFor(supplier)?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : CredentialsFor(supplier)?[field]?.ToString();

    public string ScenarioSet(string supplier) => Scenarios.GetValueOrDefault(supplier) ?? "default";

    public string? CallbackUrl(string supplier) => Callbacks.GetValueOrDefault(supplier);

    public JsonObject SettingsFor(string supplier) => Settings.GetValueOrDefault(supplier) ?? [];
}
