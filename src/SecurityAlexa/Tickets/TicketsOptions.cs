using SecurityAlexa.Skill;

namespace SecurityAlexa.Tickets;

/// <summary>TICKETS=opscenter|off (default opscenter): whether actions open or update OpsItems.</summary>
internal sealed record TicketsOptions(bool Enabled)
{
    /// <summary>Reads the setting; anything but "off" keeps tickets on, so a typo never silently stops them.</summary>
    public static TicketsOptions From(SkillConfig config) =>
        new(!string.Equals(config.String("TICKETS", "opscenter").Trim(), "off", StringComparison.OrdinalIgnoreCase));
}
