namespace SecurityAlexa.Targets;

/// <summary>What the user should be asked when a spoken word fits more than one thing.</summary>
internal enum AmbiguityKind
{
    /// <summary>Several tag keys fit.</summary>
    TagKey,
    /// <summary>Several tag values fit.</summary>
    TagValue,
    /// <summary>Several instances fit the name.</summary>
    InstanceName,
}
