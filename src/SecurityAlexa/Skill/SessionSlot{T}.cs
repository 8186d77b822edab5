using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecurityAlexa.Skill;

/// <summary>
/// One module's slice of the session state. The core carries it as JSON; only the module that owns it
/// knows its type, and reads it with its own source-generated contract.
/// </summary>
internal sealed class SessionSlot<T>(string name, JsonTypeInfo<T> contract) : SessionSlot(name)
    where T : class
{
    /// <summary>The slice, or null when the conversation holds none (or holds one this version cannot read).</summary>
    public T? Get(SessionState state) => state.Read(this);

    /// <summary>Replaces the slice; null removes it.</summary>
    public void Set(SessionState state, T? value) => state.Write(this, value);

    internal T? Parse(JsonElement element)
    {
        try
        {
            return element.Deserialize(contract);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal override JsonElement? Serialize(object? value) =>
        value is T typed ? JsonSerializer.SerializeToElement(typed, contract) : null;
}
