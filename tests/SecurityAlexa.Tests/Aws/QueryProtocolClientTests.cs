using System.Web;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;
using SecurityAlexa.Tests.Support;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.Aws;

/// <summary>
/// The Query-protocol clients (Auto Scaling, ELBv2, IAM) against WireMock, with bodies in the services' own XML shapes:
/// the form each call sends, how the answer is read, signing, endpoints and errors.
/// </summary>
public sealed class QueryProtocolClientTests : IDisposable
{
    private const string Instance = "i-0a1b2c3d4e5f60001";
    private const string WebTg = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/73e2d6bc24d8a067";
    private const string ApiTg = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/api-tg/2453ed029918f21f";
    private const string OtherVpcTg = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/dev-tg/9e1f00d3c1e2a4b5";
    private const string IpTg = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/ip-tg/5c6d7e8f9a0b1c2d";

    private readonly WireMockServer _server = FakeAws.Server();

    public void Dispose() => _server.Dispose();

    private void Answer(string action, string body, int status = 200, string? extra = null) =>
        _server.Given(Request.Create().WithPath("/").UsingPost().WithBody(new RegexMatcher("Action=" + action + "&" + (extra ?? ""))))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/xml").WithBody(body));

    private Dictionary<string, string> Form(int index = 0)
    {
        var query = HttpUtility.ParseQueryString(_server.LogEntries.ElementAt(index).RequestMessage.Body!);
        return query.AllKeys.ToDictionary(k => k!, k => query[k]!, StringComparer.Ordinal);
    }

    private AutoScalingClient AutoScaling() => new(FakeAws.Client(_server, AwsService.AutoScaling));

    private ElbV2Client Elb() => new(FakeAws.Client(_server, AwsService.ElasticLoadBalancingV2));

    private IamClient Iam() => new(FakeAws.Client(_server, AwsService.Iam));

    private static string AsgError(string code, string message) => $"""
        <ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
          <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>
          <RequestId>0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6</RequestId>
        </ErrorResponse>
        """;

    [Fact]
    public async Task AutoScaling_FindAsync_PostsTheFormSignedForAutoscaling_AndReadsGroupStateAndProtection()
    {
        Answer("DescribeAutoScalingInstances", $"""
            <DescribeAutoScalingInstancesResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
              <DescribeAutoScalingInstancesResult>
                <AutoScalingInstances>
                  <member>
                    <HealthStatus>HEALTHY</HealthStatus>
                    <AutoScalingGroupName>web-asg</AutoScalingGroupName>
                    <AvailabilityZone>us-east-1a</AvailabilityZone>
                    <InstanceId>{Instance}</InstanceId>
                    <InstanceType>t3.micro</InstanceType>
                    <LaunchTemplate><LaunchTemplateId>lt-0b1c2d3e4f5a6b7c8</LaunchTemplateId><LaunchTemplateName>web</LaunchTemplateName><Version>4</Version></LaunchTemplate>
                    <LifecycleState>InService</LifecycleState>
                    <ProtectedFromScaleIn>true</ProtectedFromScaleIn>
                  </member>
                </AutoScalingInstances>
              </DescribeAutoScalingInstancesResult>
              <ResponseMetadata><RequestId>3b4c5d6e-7f80-91a2-b3c4-d5e6f7a8b9c0</RequestId></ResponseMetadata>
            </DescribeAutoScalingInstancesResponse>
            """);

        var member = await AutoScaling().FindAsync(Instance, CancellationToken.None);

        Assert.Equal(new AutoScalingMember("web-asg", "InService", true), member);
        var entry = Assert.Single(_server.LogEntries);
        Assert.StartsWith("application/x-www-form-urlencoded", FakeAws.Header(entry, "Content-Type"));
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDSECURITYALEXATEST/\d{8}/us-east-1/autoscaling/aws4_request, ", FakeAws.Header(entry, "Authorization"));
        Assert.Equal(new Dictionary<string, string> { ["Action"] = "DescribeAutoScalingInstances", ["Version"] = "2011-01-01", ["InstanceIds.member.1"] = Instance }, Form());
    }

    [Fact]
    public async Task AutoScaling_FindAsync_WhenTheInstanceIsInNoGroup_IsNull()
    {
        Answer("DescribeAutoScalingInstances", """
            <DescribeAutoScalingInstancesResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
              <DescribeAutoScalingInstancesResult><AutoScalingInstances/></DescribeAutoScalingInstancesResult>
              <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
            </DescribeAutoScalingInstancesResponse>
            """);

        Assert.Null(await AutoScaling().FindAsync(Instance, CancellationToken.None));
    }

    [Fact]
    public async Task AutoScaling_Changes_SendTheGroupTheInstanceAndTheCapacityChoice()
    {
        // EnterStandby, ExitStandby and DetachInstances answer with the activities they started; SetInstanceProtection with an
        // empty result; AttachInstances with no result element at all (its model has no output).
        const string Activities = """
            <{0}Response xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
              <{0}Result>
                <Activities>
                  <member>
                    <ActivityId>ffa056b4-6ed3-41ba-ae7c-249dfae6eba1</ActivityId>
                    <AutoScalingGroupName>web-asg</AutoScalingGroupName>
                    <Description>Moving EC2 instance to Standby: i-0a1b2c3d4e5f60001</Description>
                    <Cause>At 2026-12-06T21:00:01Z instance i-0a1b2c3d4e5f60001 was moved by the user.</Cause>
                    <StartTime>2026-12-06T21:00:01.250Z</StartTime>
                    <StatusCode>InProgress</StatusCode>
                    <Progress>50</Progress>
                    <Details>{{"Subnet ID":"subnet-0prod1","Availability Zone":"us-east-1a"}}</Details>
                  </member>
                </Activities>
              </{0}Result>
              <ResponseMetadata><RequestId>7c1e0f2a-90b3-4d5e-8f61-a2b3c4d5e6f7</RequestId></ResponseMetadata>
            </{0}Response>
            """;
        foreach (var action in (string[])["EnterStandby", "ExitStandby", "DetachInstances"])
            Answer(action, string.Format(System.Globalization.CultureInfo.InvariantCulture, Activities, action));
        Answer("SetInstanceProtection", """
            <SetInstanceProtectionResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
              <SetInstanceProtectionResult/>
              <ResponseMetadata><RequestId>0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7</RequestId></ResponseMetadata>
            </SetInstanceProtectionResponse>
            """);
        Answer("AttachInstances", """
            <AttachInstancesResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
              <ResponseMetadata><RequestId>1f2a3b4c-5d6e-7f80-91a2-b3c4d5e6f7a8</RequestId></ResponseMetadata>
            </AttachInstancesResponse>
            """);
        var client = AutoScaling();

        await client.SetScaleInProtectionAsync("web-asg", Instance, true, CancellationToken.None);
        await client.EnterStandbyAsync("web-asg", Instance, CancellationToken.None);
        await client.DetachAsync("web-asg", Instance, CancellationToken.None);
        await client.ExitStandbyAsync("web-asg", Instance, CancellationToken.None);
        await client.AttachAsync("web-asg", Instance, CancellationToken.None);
        await client.SetScaleInProtectionAsync("web-asg", Instance, false, CancellationToken.None);

        var group = new Dictionary<string, string> { ["AutoScalingGroupName"] = "web-asg", ["InstanceIds.member.1"] = Instance, ["Version"] = "2011-01-01" };
        Dictionary<string, string> With(string action, params (string, string)[] more)
        {
            var form = new Dictionary<string, string>(group) { ["Action"] = action };
            foreach (var (k, v) in more) form[k] = v;
            return form;
        }
        Assert.Equal(With("SetInstanceProtection", ("ProtectedFromScaleIn", "true")), Form(0));
        // Standby lowers the desired capacity (ExitStandby raises it again); a detach keeps it, so the group replaces the instance.
        Assert.Equal(With("EnterStandby", ("ShouldDecrementDesiredCapacity", "true")), Form(1));
        Assert.Equal(With("DetachInstances", ("ShouldDecrementDesiredCapacity", "false")), Form(2));
        Assert.Equal(With("ExitStandby"), Form(3));
        Assert.Equal(With("AttachInstances"), Form(4));
        Assert.Equal(With("SetInstanceProtection", ("ProtectedFromScaleIn", "false")), Form(5));
    }

    [Fact]
    public async Task AutoScaling_ValidationError_IsAnInvalidRequestWithItsCodeAndIsNotRetried()
    {
        Answer("EnterStandby", AsgError("ValidationError", "AutoScalingGroup web-asg has min-size=2, max-size=4, and desired-size=2. To place into standby 1 instance, please update the AutoScalingGroup sizes appropriately."), 400);

        var e = await Assert.ThrowsAsync<AwsCallException>(() => AutoScaling().EnterStandbyAsync("web-asg", Instance, CancellationToken.None));

        Assert.Equal((AwsOperations.AutoScalingEnterStandby, "ValidationError", AwsFailure.InvalidRequest), (e.Operation, e.ErrorCode, e.Failure));
        Assert.Contains("min-size=2", e.Message);
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task AutoScaling_Throttling_IsRetriedThenSucceeds()
    {
        _server.Given(Request.Create().WithPath("/").UsingPost()).InScenario("throttle").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(AsgError("Throttling", "Rate exceeded")));
        _server.Given(Request.Create().WithPath("/").UsingPost()).InScenario("throttle").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""<ExitStandbyResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><ExitStandbyResult><Activities/></ExitStandbyResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ExitStandbyResponse>"""));

        await AutoScaling().ExitStandbyAsync("web-asg", Instance, CancellationToken.None);

        Assert.Equal(2, _server.LogEntries.Count);
    }

    [Fact]
    public async Task AutoScaling_AccessDenied_IsNamedByTheIamAction()
    {
        Answer("SetInstanceProtection", AsgError("AccessDenied", "User: arn:aws:sts::111122223333:assumed-role/skill/fn is not authorized to perform: autoscaling:SetInstanceProtection"), 403);

        var e = await Assert.ThrowsAsync<AwsCallException>(() => AutoScaling().SetScaleInProtectionAsync("web-asg", Instance, true, CancellationToken.None));

        Assert.Equal((AwsOperations.AutoScalingSetInstanceProtection, AwsFailure.AccessDenied), (e.Operation, e.Failure));
    }

    private static string TargetGroup(string arn, string vpc, string type, int port) => $"""
        <member>
          <TargetGroupArn>{arn}</TargetGroupArn>
          <TargetGroupName>{arn.Split('/')[1]}</TargetGroupName>
          <Protocol>HTTP</Protocol>
          <Port>{port}</Port>
          <VpcId>{vpc}</VpcId>
          <HealthCheckProtocol>HTTP</HealthCheckProtocol>
          <HealthCheckPort>traffic-port</HealthCheckPort>
          <HealthCheckEnabled>true</HealthCheckEnabled>
          <LoadBalancerArns><member>arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-alb/50dc6c495c0c9188</member></LoadBalancerArns>
          <TargetType>{type}</TargetType>
          <IpAddressType>ipv4</IpAddressType>
        </member>
        """;

    private static string Health(params (string Id, int Port, string State)[] targets) => $"""
        <DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <DescribeTargetHealthResult>
            <TargetHealthDescriptions>
              {string.Concat(targets.Select(t => $"<member><HealthCheckPort>{t.Port}</HealthCheckPort><TargetHealth><State>{t.State}</State></TargetHealth><Target><Port>{t.Port}</Port><Id>{t.Id}</Id><AvailabilityZone>us-east-1a</AvailabilityZone></Target></member>"))}
            </TargetHealthDescriptions>
          </DescribeTargetHealthResult>
          <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
        </DescribeTargetHealthResponse>
        """;

    [Fact]
    public async Task Elb_FindAsync_ReadsEveryPageOfGroups_OnlyInstanceGroupsOfTheVpc_AndEachPortTheInstanceHas()
    {
        Answer("DescribeTargetGroups", $"""
            <DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
              <DescribeTargetGroupsResult>
                <TargetGroups>{TargetGroup(WebTg, "vpc-0a11prod", "instance", 80)}{TargetGroup(OtherVpcTg, "vpc-0b22dev", "instance", 80)}{TargetGroup(IpTg, "vpc-0a11prod", "ip", 80)}</TargetGroups>
                <NextMarker>page-2</NextMarker>
              </DescribeTargetGroupsResult>
              <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
            </DescribeTargetGroupsResponse>
            """, extra: "Version=2015-12-01&PageSize=400$");
        Answer("DescribeTargetGroups", $"""
            <DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
              <DescribeTargetGroupsResult><TargetGroups>{TargetGroup(ApiTg, "vpc-0a11prod", "instance", 8080)}</TargetGroups></DescribeTargetGroupsResult>
              <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
            </DescribeTargetGroupsResponse>
            """, extra: ".*Marker=page-2");
        Answer("DescribeTargetHealth", Health((Instance, 80, "healthy"), ("i-0a1b2c3d4e5f60002", 80, "healthy")), extra: ".*73e2d6bc24d8a067");
        Answer("DescribeTargetHealth", Health((Instance, 8080, "healthy"), (Instance, 8081, "draining")), extra: ".*2453ed029918f21f");

        var found = await Elb().FindAsync(Instance, "vpc-0a11prod", CancellationToken.None);

        Assert.Equal([new TargetRegistration(WebTg, 80), new TargetRegistration(ApiTg, 8080), new TargetRegistration(ApiTg, 8081)], found);
        var health = _server.LogEntries.Select(e => HttpUtility.ParseQueryString(e.RequestMessage.Body!))
            .Where(f => f["Action"] == "DescribeTargetHealth").Select(f => f["TargetGroupArn"]).Order().ToList();
        Assert.Equal([ApiTg, WebTg], health);
        Assert.Matches(@"/us-east-1/elasticloadbalancing/aws4_request, ", FakeAws.Header(_server.LogEntries[0], "Authorization"));
    }

    [Fact]
    public async Task Elb_DeregisterAndRegister_NameTheGroupTheInstanceAndThePort()
    {
        Answer("DeregisterTargets", """<DeregisterTargetsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DeregisterTargetsResult/><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeregisterTargetsResponse>""");
        Answer("RegisterTargets", """<RegisterTargetsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><RegisterTargetsResult/><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></RegisterTargetsResponse>""");
        var client = Elb();

        await client.DeregisterAsync(Instance, new TargetRegistration(ApiTg, 8080), CancellationToken.None);
        await client.RegisterAsync(Instance, new TargetRegistration(WebTg, null), CancellationToken.None);

        Assert.Equal(new Dictionary<string, string>
        {
            ["Action"] = "DeregisterTargets", ["Version"] = "2015-12-01", ["TargetGroupArn"] = ApiTg, ["Targets.member.1.Id"] = Instance,
            ["Targets.member.1.Port"] = "8080",
        }, Form(0));
        // No port recorded: the group's own port, so none is sent.
        Assert.Equal(new Dictionary<string, string>
        {
            ["Action"] = "RegisterTargets", ["Version"] = "2015-12-01", ["TargetGroupArn"] = WebTg, ["Targets.member.1.Id"] = Instance,
        }, Form(1));
    }

    [Fact]
    public async Task Elb_TargetGroupNotFound_IsAnInvalidRequest()
    {
        Answer("DeregisterTargets", """<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>Target groups 'arn:…' not found</Message></Error><RequestId>r</RequestId></ErrorResponse>""", 400);

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Elb().DeregisterAsync(Instance, new TargetRegistration(WebTg, 80), CancellationToken.None));

        Assert.Equal((AwsOperations.ElbDeregisterTargets, "TargetGroupNotFound", AwsFailure.InvalidRequest), (e.Operation, e.ErrorCode, e.Failure));
    }

    [Fact]
    public async Task Iam_RolesOfProfileAsync_ReadsTheRoleNamesOfTheProfile()
    {
        Answer("GetInstanceProfile", """
            <GetInstanceProfileResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <GetInstanceProfileResult>
                <InstanceProfile>
                  <InstanceProfileId>AIPAD5ARO2C5EXAMPLE3G</InstanceProfileId>
                  <Roles>
                    <member>
                      <Path>/</Path>
                      <Arn>arn:aws:iam::111122223333:role/web-app-role</Arn>
                      <RoleName>web-app-role</RoleName>
                      <AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</AssumeRolePolicyDocument>
                      <CreateDate>2026-01-09T23:11:00Z</CreateDate>
                      <RoleId>AROADBQP57FF2AEXAMPLE</RoleId>
                    </member>
                  </Roles>
                  <InstanceProfileName>web-app</InstanceProfileName>
                  <Path>/</Path>
                  <Arn>arn:aws:iam::111122223333:instance-profile/web-app</Arn>
                  <CreateDate>2026-01-09T23:11:00Z</CreateDate>
                </InstanceProfile>
              </GetInstanceProfileResult>
              <ResponseMetadata><RequestId>37289fda-6f60-11e4-a27c-8d4e1EXAMPLE</RequestId></ResponseMetadata>
            </GetInstanceProfileResponse>
            """);

        var roles = await Iam().RolesOfProfileAsync("web-app", CancellationToken.None);

        Assert.Equal(["web-app-role"], roles);
        Assert.Equal(new Dictionary<string, string> { ["Action"] = "GetInstanceProfile", ["Version"] = "2010-05-08", ["InstanceProfileName"] = "web-app" }, Form());
        // IAM is global: signed for us-east-1 and the iam service.
        Assert.Matches(@"/us-east-1/iam/aws4_request, ", FakeAws.Header(_server.LogEntries.Single(), "Authorization"));
    }

    [Fact]
    public async Task Iam_DenySessionsIssuedBeforeAsync_PutsADenyAllWithTheTokenIssueTimeCondition()
    {
        Answer("PutRolePolicy", """<PutRolePolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutRolePolicyResponse>""");

        await Iam().DenySessionsIssuedBeforeAsync("web-app-role", "SecurityAlexa-RevokeSessions-" + Instance,
            new DateTimeOffset(2026, 12, 6, 21, 30, 15, 400, TimeSpan.FromHours(1)), CancellationToken.None);

        var form = Form();
        Assert.Equal(("PutRolePolicy", "web-app-role", "SecurityAlexa-RevokeSessions-" + Instance), (form["Action"], form["RoleName"], form["PolicyName"]));
        var policy = System.Text.Json.Nodes.JsonNode.Parse(form["PolicyDocument"])!;
        Assert.Equal("""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-12-06T20:30:15Z"}}}]}""",
            policy.ToJsonString());
    }

    [Fact]
    public async Task Iam_RemovePolicyAsync_TreatsAPolicyAlreadyGoneAsDone_ButNotOtherErrors()
    {
        Answer("DeleteRolePolicy", """<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role policy with name SecurityAlexa-RevokeSessions-i-0a1b2c3d4e5f60001 cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>""",
            404, extra: ".*RoleName=web-app-role");
        Answer("DeleteRolePolicy", """<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized</Message></Error><RequestId>r</RequestId></ErrorResponse>""",
            403, extra: ".*RoleName=locked-role");
        var client = Iam();

        await client.RemovePolicyAsync("web-app-role", "SecurityAlexa-RevokeSessions-" + Instance, CancellationToken.None);
        var e = await Assert.ThrowsAsync<AwsCallException>(() => client.RemovePolicyAsync("locked-role", "p", CancellationToken.None));

        Assert.Equal((AwsOperations.IamDeleteRolePolicy, AwsFailure.AccessDenied), (e.Operation, e.Failure));
    }

    [Theory]
    [InlineData("AUTOSCALING", "https://autoscaling.eu-west-1.amazonaws.com/")]
    [InlineData("ELASTIC_LOAD_BALANCING_V2", "https://elasticloadbalancing.eu-west-1.amazonaws.com/")]
    [InlineData("IAM", "https://iam.amazonaws.com/")]
    public void Endpoints_AreRegionalExceptIam_AndEachHonoursItsOwnVariable(string suffix, string standard)
    {
        var service = suffix switch
        {
            "AUTOSCALING" => AwsService.AutoScaling,
            "IAM" => AwsService.Iam,
            _ => AwsService.ElasticLoadBalancingV2,
        };

        Assert.Equal(standard, service.Endpoint(new Dictionary<string, string>(), "eu-west-1").ToString());
        Assert.Equal("http://127.0.0.1:4566/", service.Endpoint(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9999", ["AWS_ENDPOINT_URL_" + suffix] = "http://127.0.0.1:4566",
        }, "eu-west-1").ToString());
    }

    [Fact]
    public async Task EveryCall_IsReportedToTheRequestsObserverWithItsRequestIdOrError()
    {
        _server.Given(Request.Create().WithPath("/").UsingPost().WithBody(new RegexMatcher("Action=SetInstanceProtection&")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("x-amzn-RequestId", "0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7")
                .WithBody("""<SetInstanceProtectionResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><SetInstanceProtectionResult/><ResponseMetadata><RequestId>0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7</RequestId></ResponseMetadata></SetInstanceProtectionResponse>"""));
        _server.Given(Request.Create().WithPath("/").UsingPost().WithBody(new RegexMatcher("Action=DeregisterTargets&")))
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("x-amzn-RequestId", "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d")
                .WithBody("""<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>One or more target groups not found</Message></Error><RequestId>5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d</RequestId></ErrorResponse>"""));
        var observer = new RecordingObserver();
        AwsCallObserver.Use(observer);
        try
        {
            await AutoScaling().SetScaleInProtectionAsync("web-asg", Instance, true, CancellationToken.None);
            await Assert.ThrowsAsync<AwsCallException>(() => Elb().DeregisterAsync(Instance, new TargetRegistration(WebTg, 80), CancellationToken.None));
        }
        finally
        {
            AwsCallObserver.Use(null);
        }

        Assert.Equal([
            (AwsOperations.AutoScalingSetInstanceProtection, "0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7", null),
            (AwsOperations.ElbDeregisterTargets, "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", "TargetGroupNotFound")], observer.Calls);
    }

    private sealed class RecordingObserver : IAwsCallObserver
    {
        public List<(string Operation, string? RequestId, string? Error)> Calls { get; } = [];

        public void Called(string operation, string? awsRequestId, string? error)
        {
            lock (Calls) Calls.Add((operation, awsRequestId, error));
        }
    }
}
