using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Patching;

/// <summary>The result of looking a command up by its comment.</summary>
internal sealed record CommandLookup(LookupOutcome Outcome, PatchCommand? Command = null);
