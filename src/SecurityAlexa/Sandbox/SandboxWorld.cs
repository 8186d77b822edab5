namespace SecurityAlexa.Sandbox;

/// <summary>
/// The sandbox account's EC2 world: seven instances in two VPCs, with the tags a real team would
/// have. Every capability's sandbox port reads and changes this one world.
/// </summary>
internal sealed partial class SandboxWorld
{
    public const string AccountId = "111122223333";
    public const string Region = "us-east-1";
    public const string ProdVpc = "vpc-0a11prod";
    public const string DevVpc = "vpc-0b22dev";

    private readonly Lock _gate = new();

    public SandboxWorld()
    {
        AddGroup("sg-0web00000000000a1", "web", ProdVpc);
        AddGroup("sg-0db000000000000a2", "db", ProdVpc);
        AddGroup("sg-0ssh00000000000a3", "ssh-from-bastion", ProdVpc);
        AddGroup("sg-0dev00000000000b1", "dev-default", DevVpc);

        Add("i-0a1b2c3d4e5f60001", "web-1", "prod", "web", "prod-linux", ProdVpc, "10.0.1.11", "Online",
            [["sg-0web00000000000a1", "sg-0ssh00000000000a3"], ["sg-0web00000000000a1"]]);
        Add("i-0a1b2c3d4e5f60002", "web-2", "prod", "web", "prod-linux", ProdVpc, "10.0.1.12", "Online",
            [["sg-0web00000000000a1", "sg-0ssh00000000000a3"]]);
        Add("i-0a1b2c3d4e5f64f2a", "db-1", "prod", "db", null, ProdVpc, "10.0.2.21", "Online",
            [["sg-0db000000000000a2"]]);
        Add("i-0c3d4e5f6a7b80004", "web-3", "staging", "web", "staging-linux", ProdVpc, "10.0.3.31", "Online",
            [["sg-0web00000000000a1"]]);
        Add("i-0c3d4e5f6a7b80005", "api-1", "staging", "api", "staging-linux", ProdVpc, "10.0.3.32", "ConnectionLost",
            [["sg-0web00000000000a1"]]);
        Add("i-0e5f6a7b8c9d00006", "dev-1", "dev", "web", null, DevVpc, "10.1.0.41", null,
            [["sg-0dev00000000000b1"]]);
        Add("i-0e5f6a7b8c9d00007", "dev-2", "dev", "db", null, DevVpc, "10.1.0.42", "Online",
            [["sg-0dev00000000000b1"]], state: "stopped");
    }

    /// <summary>All instances, in a stable order.</summary>
    public List<SandboxInstance> Instances { get; } = [];

    /// <summary>All security groups.</summary>
    public List<SandboxSecurityGroup> SecurityGroups { get; } = [];

    /// <summary>Whether Amazon Inspector scans the account's EC2 instances: on in a fresh sandbox, and after the enable intent.</summary>
    public bool InspectorScansEc2 { get; set; } = true;

    /// <summary>Runs an action on the world under its lock; sandbox ports use it for every read and change.</summary>
    public T Locked<T>(Func<SandboxWorld, T> action)
    {
        OnCall?.Invoke();
        lock (_gate) return action(this);
    }

    /// <summary>Runs before every read and change: the sandbox's simulated AWS latency, when it has one.</summary>
    public Action? OnCall { get; set; }

    /// <summary>Finds an instance by id.</summary>
    public SandboxInstance? Find(string instanceId) => Instances.FirstOrDefault(i => i.Id == instanceId);

    private void AddGroup(string id, string name, string vpc) =>
        SecurityGroups.Add(new SandboxSecurityGroup { Id = id, Name = name, VpcId = vpc });

    private void Add(string id, string name, string env, string role, string? patchGroup, string vpc, string ip, string? ssm,
        string[][] interfaceGroups, string state = "running")
    {
        var instance = new SandboxInstance { Id = id, State = state, VpcId = vpc, PrivateIp = ip, SsmPing = ssm };
        instance.Tags["Name"] = name;
        instance.Tags["Environment"] = env;
        instance.Tags["Role"] = role;
        if (patchGroup is not null) instance.Tags["Patch Group"] = patchGroup;
        var n = 0;
        foreach (var groups in interfaceGroups)
        {
            instance.Interfaces.Add(new SandboxInterface($"eni-{id[2..]}{n}", vpc == ProdVpc ? "subnet-0prod1" : "subnet-0dev1",
                [.. groups]));
            n++;
        }
        instance.VolumeIds.Add($"vol-{id[2..]}");
        Instances.Add(instance);
    }
}
