namespace SecurityAlexa.Security;

/// <summary>
/// The security code's pepper (SECURITY_CODE_PEPPER), a secret kept outside Parameter Store. Wrapped so that
/// printing the settings, as records print themselves, never shows it.
/// </summary>
internal sealed class CodePepper(string value)
{
    /// <summary>The pepper itself.</summary>
    public string Value { get; } = value;

    /// <inheritdoc />
    public override string ToString() => "(pepper)";
}
