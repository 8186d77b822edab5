namespace SecurityAlexa.Security;

/// <summary>When a spoken security code is required.</summary>
public enum SecurityCodeMode
{
    /// <summary>Never asked.</summary>
    Off,
    /// <summary>Asked before any intent that can change AWS.</summary>
    Mutating,
}
