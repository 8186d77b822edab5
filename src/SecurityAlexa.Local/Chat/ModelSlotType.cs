namespace SecurityAlexa.Local.Chat;

/// <summary>A custom slot type and its values.</summary>
internal sealed record ModelSlotType(string Name, IReadOnlyList<ModelSlotValue> Values);
