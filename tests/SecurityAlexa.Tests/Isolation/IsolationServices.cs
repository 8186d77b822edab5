using SecurityAlexa.Aws;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>The real adapters and resolver over the fake EC2, as the function builds them.</summary>
internal static class IsolationServices
{
    public static SkillServices Over(Ec2Network net, IChatNotifier? chat = null, IWorkQueue? queue = null,
        SecurityAlexa.State.IStateTable? state = null)
    {
        var directory = new Ec2InstanceDirectory(() => net.Client);
        return new SkillServices
        {
            Instances = directory,
            Targets = new TargetResolver(directory),
            Isolation = new Ec2IsolationAccount(net.Client),
            Chat = chat,
            WorkQueue = queue,
            WorkQueueUrl = Support.SqsEvents.QueueUrl,
            State = state,
        };
    }
}

/// <summary>A chat channel that keeps what it was sent, and can be made to fail.</summary>
internal sealed class RecordingChat : IChatNotifier
{
    public List<string> Posts { get; } = [];

    public bool Fails { get; set; }

    public Task<ChatDelivery> NotifyAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        lock (Posts) Posts.Add(message.Text);
        return Task.FromResult(Fails ? ChatDelivery.Failed("test") : ChatDelivery.Ok);
    }
}
