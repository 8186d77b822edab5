using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Scanning;

/// <summary>A skill over a Moq EC2 fleet and a fake Inspector, driven through the real entry point.</summary>
internal sealed class ScanConversation
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 28, 0, TimeSpan.Zero);

    public ScanConversation(Ec2Fleet? fleet = null)
    {
        Fleet = fleet ?? Ec2Fleet.Standard();
        Time = new FakeTimeProvider(Start);
        var directory = new Ec2InstanceDirectory(Fleet.Client);
        Driver = new SkillDriver(new SkillServices
        {
            Instances = directory,
            Targets = new TargetResolver(directory, Time),
            Scanner = Inspector,
        }, time: Time);
    }

    public Ec2Fleet Fleet { get; }

    public FakeInspector Inspector { get; } = new();

    public FakeTimeProvider Time { get; }

    public SkillDriver Driver { get; }

    public Task<AlexaReply> Say(string intent, params (string Name, string? Value)[] slots) => Driver.SayAsync(AlexaRequests.Intent(intent, slots));

    public Task<AlexaReply> Answer(string intent, string status, params (string Name, string? Value)[] slots) =>
        Driver.SayAsync(AlexaRequests.Intent(intent, slots).Confirmation(status));

    /// <summary>Asks for a scan, then says yes to its read-back; returns the answer to the yes.</summary>
    public async Task<AlexaReply> ScanAndConfirm(params (string Name, string? Value)[] slots)
    {
        var readBack = await Say("ScanIntent", slots);
        Assert.NotNull(readBack.Directive("Dialog.ConfirmIntent"));
        Assert.Empty(Inspector.Started);
        return await Answer("ScanIntent", "CONFIRMED", slots);
    }

    /// <summary>The session state the skill returned last (read without checking its signature).</summary>
    public JsonObject? State
    {
        get
        {
            var data = (string?)Driver.Attributes?["securityAlexa"]?["data"];
            return data is null ? null : JsonNode.Parse(data)!.AsObject();
        }
    }

    /// <summary>Every EC2 instance of the standard fleet as Inspector would cover it.</summary>
    public void CoverAll(DateTimeOffset lastScanned)
    {
        foreach (var id in new[] { "i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f64f2a" })
            Inspector.Coverage.Add(new SecurityAlexa.Scanning.CoverageEntry(id, true, "SUCCESSFUL", lastScanned, "EC2_SSM_AGENT_BASED"));
    }
}
