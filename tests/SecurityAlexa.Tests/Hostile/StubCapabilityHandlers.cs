using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// Stand-ins for the capability handlers that are being built on other branches. They follow the
/// agreed contract (declare Mutates, resolve targets, read back with Confirmation.Ask, act only on
/// Confirmation.Check → Confirmed and only on pending.InstanceIds) and make their changes through the
/// mocked SDK clients, so the suite's "no mutating AWS call" assertion is the one that will hold for
/// the real handlers. AFTER MERGE: stop registering these (HostileHarness.CapabilityHandlers returns [])
/// and let SkillModules register the real handlers over the same mocked clients.
/// </summary>
public sealed class StubChangeHandler(string intent, string kind, Func<IReadOnlyList<string>, CancellationToken, Task> act, IAmazonEC2 ec2)
    : IntentHandler
{
    public override IReadOnlyList<string> Intents { get; } = [intent];

    public override IReadOnlyList<string> SlotsRead { get; } = ["InstanceName", "TagKey", "TagValue", "ConfirmCount", "SecurityCode"];

    public override bool Mutates => true;

    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        switch (Confirmation.Check(turn, kind))
        {
            case ConfirmationCheck.Denied:
                Confirmation.Clear(turn);
                return Reply.Tell($"OK, I won't {kind} anything.");
            case ConfirmationCheck.Confirmed confirmed:
                await act(confirmed.Pending.InstanceIds, turn.Cancellation);
                Confirmation.Clear(turn);
                return Reply.Tell($"Done. I ran {kind} on {confirmed.Pending.InstanceIds.Count} instances.").Labelled("done");
        }

        var fleet = await Describe(turn.Cancellation);
        var name = turn.Slot("InstanceName");
        var key = turn.Slot("TagKey");
        var value = turn.Slot("TagValue");
        List<Instance> chosen;
        if (name.Value is { } n)
            chosen = fleet.Where(i => Same(NameOf(i), n) || i.InstanceId == n).ToList();
        else if (key.Value is { } k && value.Value is { } v)
            chosen = fleet.Where(i => i.Tags?.Any(t => Same(t.Key, k) && Same(t.Value, v)) == true).ToList();
        else
            return Reply.Ask($"Which instances should I {kind}?", "Which instances?").Labelled("which");
        if (chosen.Count == 0)
            return Reply.Ask($"I couldn't find any instance called {name.Value ?? value.Value}. Which instances should I {kind}?", "Which instances?").Labelled("not-found");

        var pending = new PendingAction { Kind = kind, Intent = intent, InstanceIds = chosen.Select(i => i.InstanceId).ToList() };
        var names = string.Join(", ", chosen.Select(NameOf));
        return Confirmation.Ask(turn, pending, $"I'm about to {kind} {chosen.Count} instances: {names}. Shall I go ahead?", "Shall I go ahead?");
    }

    private async Task<List<Instance>> Describe(CancellationToken ct)
    {
        var response = await AwsCall.RunAsync("ec2:DescribeInstances", c => ec2.DescribeInstancesAsync(new DescribeInstancesRequest(), c), ct);
        return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).ToList();
    }

    private static string NameOf(Instance i) => i.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value ?? i.InstanceId;

    private static bool Same(string a, string b) =>
        string.Equals(a.Replace(" ", "").Replace("-", ""), b.Replace(" ", "").Replace("-", ""), StringComparison.OrdinalIgnoreCase);

    /// <summary>The five stubs, one per agreed mutating intent, acting through the given SDK clients.</summary>
    public static IReadOnlyList<IRequestHandler> All(IAmazonEC2 ec2, IAmazonSimpleSystemsManagement ssm) =>
    [
        new StubChangeHandler("PatchIntent", "patch", async (ids, ct) =>
            await AwsCall.RunAsync("ssm:SendCommand", c => ssm.SendCommandAsync(new SendCommandRequest { DocumentName = "AWS-RunPatchBaseline", InstanceIds = [.. ids] }, c), ct), ec2),
        new StubChangeHandler("IsolateIntent", "isolate", async (ids, ct) =>
        {
            foreach (var id in ids)
                await AwsCall.RunAsync("ec2:ModifyNetworkInterfaceAttribute", c => ec2.ModifyNetworkInterfaceAttributeAsync(
                    new ModifyNetworkInterfaceAttributeRequest { NetworkInterfaceId = "eni-" + id[2..], Groups = ["sg-isolation"] }, c), ct);
        }, ec2),
        new StubChangeHandler("ReleaseIntent", "release", async (ids, ct) =>
        {
            foreach (var id in ids)
                await AwsCall.RunAsync("ec2:ModifyNetworkInterfaceAttribute", c => ec2.ModifyNetworkInterfaceAttributeAsync(
                    new ModifyNetworkInterfaceAttributeRequest { NetworkInterfaceId = "eni-" + id[2..], Groups = ["sg-original"] }, c), ct);
        }, ec2),
        new StubChangeHandler("ScanIntent", "scan", async (ids, ct) =>
            await AwsCall.RunAsync("ec2:CreateTags", c => ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [.. ids], Tags = [new Amazon.EC2.Model.Tag("ScanRequested", "true")] }, c), ct), ec2),
        new StubChangeHandler("EnableScanningIntent", "enable-scanning", async (ids, ct) =>
            await AwsCall.RunAsync("ec2:CreateTags", c => ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [.. ids], Tags = [new Amazon.EC2.Model.Tag("Scanning", "on")] }, c), ct), ec2),
    ];
}
