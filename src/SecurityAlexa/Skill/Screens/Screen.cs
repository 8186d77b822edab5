using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill.Screens;

/// <summary>
/// The one way a handler adds a screen to its answer: only for a device that declares the APL interface,
/// never instead of speech (speech stays complete on its own), and never at the cost of speech when the
/// response must shrink (<see cref="DropFrom"/>, called by <see cref="ResponseLimits"/>).
/// </summary>
internal static class Screen
{
    /// <summary>The interface a device with a screen declares in context.System.device.supportedInterfaces.</summary>
    public const string AplInterface = "Alexa.Presentation.APL";

    /// <summary>True when the device that sent the request can draw APL.</summary>
    public static bool IsSupported(SkillRequest envelope) =>
        envelope.Context?.System?.Device?.SupportedInterfaces?.ContainsKey(AplInterface) == true;

    /// <summary>
    /// Adds the document, bound to the data, when the device has a screen. The data is built only then; a failure
    /// to build it is logged and the answer goes without a screen, since the speech already says everything.
    /// </summary>
    public static Reply Show(TurnContext turn, Reply reply, string document, Func<ScreenData?> data)
    {
        if (!IsSupported(turn.Envelope)) return reply;
        try
        {
            if (data() is { } built) reply.With(Directive(document, built));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            turn.Log.Warn("screen.failed", ("requestId", turn.RequestId), ("document", document), ("exception", e.GetType().FullName),
                ("message", e.Message));
        }
        return reply;
    }

    /// <summary>The RenderDocument directive for a document and its data.</summary>
    public static AplRenderDocument Directive(string document, ScreenData data) => new()
    {
        Token = document,
        Document = ScreenDocuments.Get(document),
        DataSources = new Dictionary<string, ScreenData>(StringComparer.Ordinal) { [AplRenderDocument.DataSourceName] = data },
    };

    /// <summary>Removes every screen from a response (the first thing given up when it is too large); true when one was there.</summary>
    public static bool DropFrom(SkillResponse response)
    {
        var directives = response.Response.Directives;
        if (directives is null || directives.RemoveAll(d => d is AplRenderDocument) == 0) return false;
        if (directives.Count == 0) response.Response.Directives = null;
        return true;
    }

    /// <summary>"12 more" rows not drawn, in the request's words; null when all are drawn.</summary>
    public static string? More(Speech.Lang lang, int total, int shown) =>
        total > shown ? lang.Text("screen.more", ("count", total - shown)) : null;

    /// <summary>The most rows one screen carries: enough to read, small enough to stay far below 24 KB.</summary>
    public const int MaxRows = 25;
}
