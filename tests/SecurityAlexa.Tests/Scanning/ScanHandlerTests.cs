using SecurityAlexa.Aws;
using SecurityAlexa.Scanning;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Scanning;

public sealed class ScanHandlerTests
{
    [Fact]
    public async Task Scan_FirstTurn_ReadsBackExactlyWhatItWouldScanAndCreatesNothing()
    {
        var c = new ScanConversation();

        var reply = await c.Say("ScanIntent", ("TagKey", "environment"), ("TagValue", "production"));

        Assert.Equal("I'll start an Inspector scan of the 3 instances tagged Environment prod: db-1, web-1 and web-2. Shall I?", reply.Speech);
        Assert.NotNull(reply.Directive("Dialog.ConfirmIntent"));
        Assert.Empty(c.Inspector.Started);
        Assert.Equal(0, c.Inspector.EnableCalls);
        Assert.Equal(["Finding those instances."], c.Driver.Progress.Spoken);
        var pending = c.State!["pending"]!;
        Assert.Equal("start-scan", (string?)pending["kind"]);
        Assert.Equal(["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f64f2a"], pending["ids"]!.AsArray().Select(n => (string?)n).Order());
        Assert.Null(c.State!["scan"]);
    }

    [Fact]
    public async Task Scan_WhenTheUserSaysNoToTheReadBack_CreatesNothing()
    {
        var c = new ScanConversation();
        await c.Say("ScanIntent", ("TagValue", "prod"));

        var reply = await c.Answer("ScanIntent", "DENIED", ("TagValue", "prod"));

        Assert.Equal("OK. I started no scan.", reply.Speech);
        Assert.Empty(c.Inspector.Started);
        Assert.Null(c.State?["pending"]);
    }

    [Fact]
    public async Task Scan_WhenTheTagGainedAnInstanceBeforeTheYes_ReadsTheNewSetBackAndCreatesNothing()
    {
        var c = new ScanConversation();
        await c.Say("ScanIntent", ("TagValue", "prod"));
        c.Fleet.Add("i-0a1b2c3d4e5f60009", "web-4", "running", "Environment=prod");
        c.Time.Advance(TimeSpan.FromMinutes(2)); // past the tag cache, within the confirmation's validity

        var reply = await c.Answer("ScanIntent", "CONFIRMED", ("TagValue", "prod"));

        Assert.StartsWith("The instances have changed since I read them back, so I haven't started the scan yet. I'll start an Inspector scan of the 4 instances tagged Environment prod", reply.Speech);
        Assert.Empty(c.Inspector.Started);
        Assert.Equal(4, (int?)c.State!["pending"]!["ids"]!.AsArray().Count);
    }

    [Fact]
    public async Task Scan_WhenTheConfirmationHasExpired_ReadsBackAgainAndCreatesNothing()
    {
        var c = new ScanConversation();
        await c.Say("ScanIntent", ("TagValue", "prod"));
        c.Time.Advance(TimeSpan.FromMinutes(4));

        var reply = await c.Answer("ScanIntent", "CONFIRMED", ("TagValue", "prod"));

        Assert.StartsWith("That confirmation took too long, so here it is again. I'll start an Inspector scan of the 3 instances", reply.Speech);
        Assert.NotNull(reply.Directive("Dialog.ConfirmIntent"));
        Assert.Empty(c.Inspector.Started);
    }

    [Fact]
    public async Task Scan_WhenTheYesCarriesOtherSlots_StartsNothing()
    {
        var c = new ScanConversation();
        await c.Say("ScanIntent", ("TagValue", "prod"));

        var reply = await c.Answer("ScanIntent", "CONFIRMED", ("TagValue", "staging"));

        Assert.Equal("That yes doesn't match what I read back, so I started nothing. Tell me which instances to scan.", reply.Speech);
        Assert.Empty(c.Inspector.Started);
        Assert.Null(c.State?["pending"]);
    }

    [Fact]
    public async Task Scan_WhenAllInstancesAreCovered_StartsAOneTimeScanOfTheTagAfterTheYesAndSaysSo()
    {
        var c = new ScanConversation();
        c.CoverAll(ScanConversation.Start.AddHours(-2));

        var reply = await c.ScanAndConfirm(("TagKey", "environment"), ("TagValue", "production"));

        Assert.Equal("Scanning 3 instances tagged Environment prod. All 3 are covered by continuous vulnerability scanning, last scanned 2 hours ago. "
            + "Ask me what the scan found in a few minutes.", reply.Speech);
        var started = Assert.Single(c.Inspector.Started);
        Assert.Equal("SecurityAlexa-Environment-prod-20261129T102800Z", started.Name);
        Assert.Equal(("Environment", "prod", FakeInspector.Account, "LEVEL_1"), (started.Tag.Key, started.Tag.Value, started.Account, started.Level));
        Assert.False(reply.EndsSession);
        Assert.Contains("SecurityAlexa-Environment-prod-20261129T102800Z", reply.CardText);
        Assert.Equal(["Finding those instances.", "Starting the scan."], c.Driver.Progress.Spoken);
        Assert.Equal("SecurityAlexa-Environment-prod-20261129T102800Z", (string?)c.State!["scan"]!["name"]);
        Assert.Null(c.State!["pending"]);
    }

    [Fact]
    public async Task Scan_WhenNoInstanceMatches_SaysWhatExistsAndStartsNothing()
    {
        var c = new ScanConversation();

        var reply = await c.Say("ScanIntent", ("TagKey", "environment"), ("TagValue", "qa"));

        Assert.Equal("I found no instances tagged Environment qa. The Environment tag has the values prod, staging and dev.", reply.Speech);
        // The account status is read alongside target resolution (one round trip less when AWS is slow); nothing is started or turned on.
        Assert.Empty(c.Inspector.Started);
        Assert.Equal(0, c.Inspector.EnableCalls);
    }

    [Fact]
    public async Task Scan_WhenTheTaggedInstancesAreAllStopped_StartsNothing()
    {
        var fleet = new Support.Ec2Fleet().Add("i-01", "old-1", "stopped", "Environment=legacy");
        var c = new ScanConversation(fleet);

        var reply = await c.Say("ScanIntent", ("TagValue", "legacy"));

        Assert.StartsWith("None of the instances tagged Environment legacy is running right now", reply.Speech);
        Assert.Empty(c.Inspector.Started);
    }

    [Fact]
    public async Task Scan_WhenTheValueFitsTwoTags_AsksWhichTagAndStartsNothing()
    {
        var fleet = new Support.Ec2Fleet().Add("i-01", "a", "running", "Environment=prod").Add("i-02", "b", "running", "Stage=prod");
        var c = new ScanConversation(fleet);

        var reply = await c.Say("ScanIntent", ("TagKey", null), ("TagValue", "prod"), ("InstanceName", null));

        Assert.Equal("Which tag do you mean: Environment or Stage?", reply.Speech);
        Assert.Equal("TagKey", (string?)reply.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Empty(c.Inspector.Started);
    }

    [Fact]
    public async Task Scan_WhenNothingIsNamed_AsksWhichInstances()
    {
        var c = new ScanConversation();

        var reply = await c.Say("ScanIntent", ("TagKey", null), ("TagValue", null), ("InstanceName", null));

        Assert.Equal("Which instances should I scan? You can say a tag, like environment prod, or a name, like web one.", reply.Speech);
        Assert.Equal("TagValue", (string?)reply.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Empty(c.Fleet.TagRequests);
    }

    [Fact]
    public async Task Scan_WhenSomeInstancesAreNotCovered_NamesThemWithTheReason()
    {
        var c = new ScanConversation();
        var lastScanned = ScanConversation.Start.AddHours(-3);
        c.Inspector.Coverage.Add(new CoverageEntry("i-0c3d4e5f6a7b80004", true, "SUCCESSFUL", lastScanned, "EC2_SSM_AGENT_BASED"));
        c.Inspector.Coverage.Add(new CoverageEntry("i-0c3d4e5f6a7b80005", false, "STALE_INVENTORY", null, "EC2_SSM_AGENT_BASED"));

        var reply = await c.ScanAndConfirm(("TagKey", "environment"), ("TagValue", "stage"));

        Assert.Equal("Scanning 2 instances tagged Environment staging. 1 of 2 are covered by continuous vulnerability scanning, last scanned 3 hours ago. "
            + "api-1 isn't covered, because its SSM agent isn't reporting. Ask me what the scan found in a few minutes.", reply.Speech);
    }

    [Fact]
    public async Task Scan_WhenInstancesAreExcludedOrUnknown_SaysWhy()
    {
        var c = new ScanConversation();
        c.Inspector.Coverage.Add(new CoverageEntry("i-0a1b2c3d4e5f60001", false, "EXCLUDED_BY_TAG", null, null));

        var reply = await c.ScanAndConfirm(("TagValue", "prod"));

        Assert.Contains("None of them is covered by continuous vulnerability scanning yet.", reply.Speech);
        Assert.Contains("web-1 is excluded from scanning by a tag.", reply.Speech);
        Assert.Contains("Inspector doesn't know about db-1 and web-2 yet.", reply.Speech);
    }

    [Fact]
    public async Task Scan_WhenCoverageIsAPageAndACount_SpeaksTheCountAndSaysTheRestOnlyOfWhatWasRead()
    {
        var c = new ScanConversation();
        // One page holding web-1 (covered) and db-1 (no agent), and Inspector's count of 2 covered.
        c.Inspector.CoverageReport = new CoverageReport(
            [new CoverageEntry("i-0a1b2c3d4e5f60001", true, "SUCCESSFUL", ScanConversation.Start.AddHours(-4), "EC2_SSM_AGENT_BASED"),
             new CoverageEntry("i-0a1b2c3d4e5f64f2a", false, "UNMANAGED_EC2_INSTANCE", null, "EC2_SSM_AGENT_BASED")], Complete: false, CoveredCount: 2);

        var reply = await c.ScanAndConfirm(("TagValue", "prod"));

        Assert.Equal("Scanning 3 instances tagged Environment prod. 2 of 3 are covered by continuous vulnerability scanning. "
            + "Among the 2 I checked, the oldest last scan was 4 hours ago. Among the 2 I checked, some aren't covered. "
            + "db-1 isn't covered, because its SSM agent isn't reporting. Ask me what the scan found in a few minutes.", reply.Speech);
        Assert.Contains("Inspector counts 2 of the 3 instances as covered.", reply.CardText);
        Assert.DoesNotContain("web-2", reply.CardText);
    }

    [Fact]
    public async Task Scan_WhenOnlyAPageOfCoverageCouldBeRead_NeverPresentsItAsTheTotal()
    {
        var c = new ScanConversation();
        c.Inspector.CoverageReport = new CoverageReport(
            [new CoverageEntry("i-0a1b2c3d4e5f60001", true, "SUCCESSFUL", null, "EC2_SSM_AGENT_BASED")], Complete: false);

        var reply = await c.ScanAndConfirm(("TagValue", "prod"));

        Assert.Equal("Scanning 3 instances tagged Environment prod. I could only check 1 of the 3. Of those, 1 is covered by continuous vulnerability scanning. "
            + "Ask me what the scan found in a few minutes.", reply.Speech);
    }

    [Fact]
    public async Task Scan_ByName_TargetsTheNameTag()
    {
        var c = new ScanConversation();

        var reply = await c.ScanAndConfirm(("InstanceName", "web one"));

        Assert.StartsWith("Scanning web-1.", reply.Speech);
        var started = Assert.Single(c.Inspector.Started);
        Assert.Equal(("Name", "web-1"), (started.Tag.Key, started.Tag.Value));
    }

    [Fact]
    public async Task Scan_WhenCoverageIsDenied_StillReportsTheStartedScanAndTheMissingPermission()
    {
        var c = new ScanConversation();
        c.Inspector.CoverageFails = new AwsCallException(AwsOperations.InspectorListCoverage, AwsFailure.AccessDenied, "AccessDeniedException", System.Net.HttpStatusCode.Forbidden, "denied");

        var reply = await c.ScanAndConfirm(("TagValue", "prod"));

        Assert.Equal("Scanning 3 instances tagged Environment prod. I'm not allowed to call inspector2:ListCoverage. Add that permission to the function's role, then try again. "
            + "Ask me what the scan found in a few minutes.", reply.Speech);
        Assert.Single(c.Inspector.Started);
    }

    [Fact]
    public async Task Scan_WhenInspectorIsOffAndTheTagCoversMoreThanTheCountThreshold_AsksForTheNumberWithoutAYesQuestion()
    {
        var c = new ScanConversation(SecurityAlexa.Tests.Support.Ec2Fleet.Standard().Add("i-0a1b2c3d4e5f60009", "web-4", "running", "Environment=prod"));
        c.Inspector.Ec2 = ScanningState.Disabled;

        var reply = await c.Say("ScanIntent", ("TagKey", null), ("TagValue", "prod"), ("InstanceName", null));

        Assert.Equal("Amazon Inspector isn't scanning EC2 instances in this account yet. Inspector charges for each instance it scans. "
            + "I'd turn on EC2 scanning, and then start the scan of 4 instances tagged Environment prod. "
            + "To go ahead, say the number of instances this will change. To stop, say cancel.", reply.Speech);
        Assert.Equal("ConfirmCount", (string?)reply.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Equal(0, c.Inspector.EnableCalls);
    }

    [Fact]
    public async Task Scan_WhenInspectorIsOff_ReadsBackAndChangesNothingUntilYes()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;

        var reply = await c.Say("ScanIntent", ("TagKey", null), ("TagValue", "prod"), ("InstanceName", null));

        Assert.Equal("Amazon Inspector isn't scanning EC2 instances in this account yet. Inspector charges for each instance it scans. "
            + "I'd turn on EC2 scanning, and then start the scan of 3 instances tagged Environment prod. Shall I go ahead?", reply.Speech);
        Assert.NotNull(reply.Directive("Dialog.ConfirmIntent"));
        Assert.Equal(0, c.Inspector.EnableCalls);
        Assert.Empty(c.Inspector.Started);
    }

    [Fact]
    public async Task Scan_WhenTheUserSaysYesToTurningItOn_EnablesThenStartsTheScan()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;
        await c.Say("ScanIntent", ("TagKey", null), ("TagValue", "prod"), ("InstanceName", null));

        var reply = await c.Answer("ScanIntent", "CONFIRMED", ("TagKey", null), ("TagValue", "prod"), ("InstanceName", null));

        Assert.StartsWith("I turned on EC2 scanning. Scanning 3 instances tagged Environment prod.", reply.Speech);
        Assert.Equal(1, c.Inspector.EnableCalls);
        Assert.Equal("prod", Assert.Single(c.Inspector.Started).Tag.Value);
        Assert.Null(c.State!["pending"]);
    }

    [Fact]
    public async Task Scan_WhenTheUserSaysNo_EnablesAndStartsNothing()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;
        await c.Say("ScanIntent", ("TagValue", "prod"));

        var reply = await c.Answer("ScanIntent", "DENIED", ("TagValue", "prod"));

        Assert.Equal("OK. I left vulnerability scanning off, and started nothing.", reply.Speech);
        Assert.Equal(0, c.Inspector.EnableCalls);
        Assert.Empty(c.Inspector.Started);
    }

    [Fact]
    public async Task Scan_WhenAYesArrivesWithNothingPending_EnablesAndStartsNothing()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Disabled;

        var reply = await c.Answer("ScanIntent", "CONFIRMED", ("TagValue", "prod"));

        Assert.Equal("Nothing was waiting for that yes, so I started nothing. Tell me which instances to scan.", reply.Speech);
        Assert.Equal(0, c.Inspector.EnableCalls);
        Assert.Empty(c.Inspector.Started);
    }

    [Fact]
    public async Task Scan_WhenInspectorIsStillTurningOn_AsksToWaitAndStartsNothing()
    {
        var c = new ScanConversation();
        c.Inspector.Ec2 = ScanningState.Enabling;

        var reply = await c.Say("ScanIntent", ("TagValue", "prod"));

        Assert.Equal("Amazon Inspector is still turning on EC2 scanning in this account. Please ask me again in a few minutes.", reply.Speech);
        Assert.Empty(c.Inspector.Started);
    }

    private static Support.Ec2Fleet BigFleet(int count)
    {
        var fleet = new Support.Ec2Fleet();
        for (var i = 0; i < count; i++) fleet.Add($"i-{i:D17}", $"node-{i:D3}", "running", "Environment=big");
        return fleet;
    }

    [Fact]
    public async Task Scan_OfALargeTag_CarriesCountAndDigestNotIds_AndStartsOnTheNumberSaidBack()
    {
        var c = new ScanConversation(BigFleet(60));

        var readBack = await c.Say("ScanIntent", ("TagValue", "big"), ("ConfirmCount", null));

        Assert.StartsWith("I'll start an Inspector scan of the 60 instances tagged Environment big: node-000, node-001, node-002, node-003 and 56 more.", readBack.Speech);
        Assert.Equal("ConfirmCount", (string?)readBack.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        var pending = c.State!["pending"]!;
        Assert.Empty(pending["ids"]!.AsArray());
        Assert.Equal(60, (int?)pending["count"]);
        Assert.Equal(SecurityAlexa.Skill.InstanceSet.Digest(Enumerable.Range(0, 60).Select(i => $"i-{i:D17}")), (string?)pending["digest"]);
        Assert.Empty(c.Inspector.Started);

        var started = await c.Say("ScanIntent", ("TagValue", "big"), ("ConfirmCount", "60"));

        Assert.StartsWith("Scanning 60 instances tagged Environment big.", started.Speech);
        Assert.Equal("big", Assert.Single(c.Inspector.Started).Tag.Value);
    }

    [Fact]
    public async Task Scan_OfALargeTag_WhenAnInstanceLeftBeforeTheNumber_ReadsTheNewSetBack()
    {
        var fleet = BigFleet(60);
        var c = new ScanConversation(fleet);
        await c.Say("ScanIntent", ("TagValue", "big"), ("ConfirmCount", null));
        fleet.Add("i-99999999999999999", "node-new", "running", "Environment=big");
        c.Time.Advance(TimeSpan.FromMinutes(2));

        var reply = await c.Say("ScanIntent", ("TagValue", "big"), ("ConfirmCount", "60"));

        Assert.StartsWith("The instances have changed since I read them back, so I haven't started the scan yet. I'll start an Inspector scan of the 61 instances", reply.Speech);
        Assert.Empty(c.Inspector.Started);
    }

    [Fact]
    public async Task Scan_WhenTheNumberSaidBackIsWrong_StartsNothing()
    {
        var c = new ScanConversation(BigFleet(60));
        await c.Say("ScanIntent", ("TagValue", "big"), ("ConfirmCount", null));

        var reply = await c.Say("ScanIntent", ("TagValue", "big"), ("ConfirmCount", "16"));

        Assert.Equal("That's not the number I read back, so I haven't started a scan.", reply.Speech);
        Assert.Empty(c.Inspector.Started);
    }
}
