using SecurityAlexa.Skill.Speech;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Skill;

/// <summary>Turns a failure into one clear sentence. Used by the pipeline and by handlers reporting partial work.</summary>
internal static class ErrorSpeech
{
    /// <summary>The sentence for an AWS failure, naming the operation (and so the missing permission).</summary>
    public static Spoken ForAws(Lang lang, AwsCallException e) => ForAws(lang, e, null);

    /// <summary>The sentence for an AWS failure in a turn that acts in the named account (null: the function's own).</summary>
    public static Spoken ForAws(Lang lang, AwsCallException e, string? account) => e.Failure switch
    {
        AwsFailure.AccountUnreachable => lang.Say("aws.accountUnreachable", ("account", account ?? "home")),
        AwsFailure.RegionNotEnabled => lang.Say("aws.regionNotEnabled", ("operation", e.Operation)),
        AwsFailure.AccessDenied => lang.Say("aws.accessDenied", ("operation", e.Operation)),
        AwsFailure.Throttled => lang.Say("aws.throttled"),
        AwsFailure.ServiceError => lang.Say("aws.serviceError", ("operation", e.Operation)),
        AwsFailure.Timeout => lang.Say("aws.timeout", ("operation", e.Operation)),
        AwsFailure.InvalidRequest => lang.Say("aws.invalid", ("operation", e.Operation)),
        AwsFailure.NotConfigured => lang.Say("aws.stateTableNotConfigured"),
        _ => lang.Say("aws.other", ("operation", e.Operation)),
    };

    /// <summary>The apology for an unexpected error, with a reference the user can find in the logs.</summary>
    public static Spoken Unexpected(Lang lang, string reference) =>
        lang.Say("error.reference", ("ref", Spoken.Characters(reference)));
}
