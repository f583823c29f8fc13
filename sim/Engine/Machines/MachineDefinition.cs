namespace Sandbox.Engine.Machines;

/// <summary>
/// A per-entity state machine from a scenario file. Transitions fire on an operation (<see cref="On"/>) or
/// after virtual time in the source state (<see cref="After"/>), may require or exclude entity tags, and may
/// emit a callback.
/// </summary>
public sealed record MachineDefinition(string Name, string Initial, IReadOnlyList<Transition> Transitions)
{
    public IEnumerable<string> States =>
        Transitions.SelectMany(t => new[] { t.From, t.To }).Append(Initial).Where(s => s != "*").Distinct();

    /// <summary>The operation-driven transition from <paramref name="from"/>, or null when the machine does not allow it.</summary>
    public Transition? OnOperation(string from, string operation, ISet<string> tags) =>
        Transitions.FirstOrDefault(t => t.On is not null && string.Equals(t.On, operation, StringComparison.OrdinalIgnoreCase)
                                        && t.Matches(from, tags));

    /// <summary>The timed transition an entity entering <paramref name="state"/> schedules: the first whose tag conditions hold.</summary>
    public Transition? Timed(string state, ISet<string> tags) =>
        Transitions.FirstOrDefault(t => t.After is not null && t.Matches(state, tags));

    /// <summary>Any transition between two states (admin-forced transitions take its emit).</summary>
    public Transition? Between(string from, string to) =>
        Transitions.FirstOrDefault(t => (t.From == from || t.From == "*") && t.To == to);
}

public sealed record Transition(string From, string To, string? On, TimeSpan? After, string? Emit,
    IReadOnlyList<string> If, IReadOnlyList<string> Unless)
{
    public bool Matches(string from, ISet<string> tags) =>
        (From == from || From == "*")
        && If.All(tags.Contains)
        && !Unless.Any(tags.Contains);
}
