namespace Sandbox.Suppliers.TechHouse;

/// <summary>The <c>Sandbox:TechHouse</c> configuration section.</summary>
public sealed class TechHouseOptions
{
    public const string Section = "Sandbox:TechHouse";

    /// <summary>Secret behind TechHouse routing tokens; change it to invalidate outstanding search results.</summary>
    public string TokenSecret { get; set; } = "sandbox-fare-token-secret";

    /// <summary>The section, with <c>Sandbox:TokenSecret</c> (where the setting lived before) still honoured when the section does not set it.</summary>
    public static TechHouseOptions From(IConfiguration config)
    {
        var options = config.GetSection(Section).Get<TechHouseOptions>() ?? new TechHouseOptions();
        if (config[Section + ":TokenSecret"] is null && config["Sandbox:TokenSecret"] is { Length: > 0 } legacy) options.TokenSecret = legacy;
        return options;
    }
}
