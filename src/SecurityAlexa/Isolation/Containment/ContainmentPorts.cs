namespace SecurityAlexa.Isolation.Containment;

/// <summary>The four outside services containment works through; the composition root builds one set.</summary>
internal sealed record ContainmentPorts(IAutoScaling AutoScaling, ILoadBalancing LoadBalancing, IInstanceStorage Storage,
    IRoleSessions Roles);
