namespace SecurityAlexa.Skill;

/// <summary>What the consumer reports to the queue for one unit.</summary>
internal enum WorkOutcome
{
    /// <summary>Finished, or found finished already: delete the message.</summary>
    Done,

    /// <summary>Not finished: report the failure, so that SQS delivers it again (and to the DLQ after the redrive count).</summary>
    Retry,

    /// <summary>Can never succeed (malformed, unknown kind, forged): report it, log why, and let the redrive count end it.</summary>
    Poison,
}
