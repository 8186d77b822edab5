using System.Text.Json;

namespace SecurityAlexa.Skill;

/// <summary>The name of one module's slice of <see cref="SessionState"/>, whatever its type.</summary>
internal abstract class SessionSlot(string name)
{
    /// <summary>The slice's key in the signed state.</summary>
    public string Name { get; } = name;

    internal abstract JsonElement? Serialize(object? value);
}
