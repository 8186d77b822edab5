namespace SecurityAlexa.Skill.Screens;

/// <summary>What a handler knows about one instance it is about to show: its id, its name and a line of detail.</summary>
internal sealed record ScreenRow(string Id, string Name, string? Detail = null);
