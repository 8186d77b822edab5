namespace SecurityAlexa.Targets;

/// <summary>How closely spoken words fit a real tag key, value or name. Lower is closer.</summary>
public enum MatchTier
{
    /// <summary>The same words, ignoring case, separators, number words and plurals ("web one" and web-1).</summary>
    Same = 0,
    /// <summary>The same once synonyms are applied ("production" and prod).</summary>
    Synonym = 1,
    /// <summary>The spoken words are part of the real one ("web" and web-server).</summary>
    Partial = 2,
    /// <summary>The real one is part of what was heard ("prod servers" and prod).</summary>
    Contained = 3,
    /// <summary>No fit.</summary>
    None = 99,
}
