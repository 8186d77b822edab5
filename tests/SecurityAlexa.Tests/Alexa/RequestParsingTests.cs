using System.Text.Json;
using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Alexa;

public sealed class RequestParsingTests
{
    private const string FixtureSkill = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555";

    // The function's own reader; SkillRequestReaderTests hold it to System.Text.Json's answers.
    private static SkillRequest Parse(string fixture) => SkillRequestReader.Read(Fixtures.RequestBytes(fixture))!;

    private static SkillRequest ParseJson(string json) => SkillRequestReader.Read(System.Text.Encoding.UTF8.GetBytes(json))!;

    public static TheoryData<string> AllFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in Fixtures.RequestNames.Where(n => n != "bom-launch.json")) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Deserialize_WhenFixtureIsAlexaShaped_ReadsEnvelopeAndRequestId(string fixture)
    {
        var request = Parse(fixture);

        Assert.Equal("1.0", request.Version);
        Assert.NotNull(request.Request);
        Assert.StartsWith("amzn1.echo-api.request.fx-", request.Request.RequestId);
        Assert.Equal(FixtureSkill, request.ApplicationId);
        Assert.Equal("amzn1.ask.account.FIXTUREUSER", request.UserId);
    }

    [Fact]
    public void Deserialize_WhenLaunchRequest_ReadsContextSystem()
    {
        var request = Parse("launch.json");

        var launch = Assert.IsType<LaunchRequest>(request.Request);
        Assert.Equal("LaunchRequest", launch.Type);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero), launch.Timestamp);
        Assert.Equal("en-US", launch.Locale);
        Assert.True(request.Session!.New);
        Assert.Equal("amzn1.echo-api.session.fx-launch-0001", request.Session.SessionId);
        var system = request.Context!.System!;
        Assert.Equal("https://api.amazonalexa.com", system.ApiEndpoint);
        Assert.Equal("fixture-access-token.launch", system.ApiAccessToken);
        Assert.Equal("amzn1.ask.device.FIXTUREDEVICE", system.Device!.DeviceId);
        Assert.True(system.Device.SupportedInterfaces!.ContainsKey("Alexa.Presentation.APL"));
        Assert.Null(request.PersonId);
    }

    [Fact]
    public void Deserialize_WhenIntentDialogStarted_ReadsDialogStateAndEmptySlots()
    {
        var request = Parse("intent-dialog-started.json");

        var intent = Assert.IsType<IntentRequest>(request.Request);
        Assert.Equal("STARTED", intent.DialogState);
        Assert.Equal("ScanIntent", intent.Intent!.Name);
        Assert.Equal("NONE", intent.Intent.ConfirmationStatus);
        Assert.Equal("environment", intent.Intent.Slots!["TagKey"].Value);
        Assert.Equal("USER", intent.Intent.Slots["TagKey"].Source);
        Assert.Null(intent.Intent.Slots["TagValue"].Value);
        Assert.Equal("amzn1.ask.person.FIXTUREPERSON", request.PersonId);
        Assert.Equal("fixture-person-token", request.Context!.System!.Person!.AccessToken);
        Assert.Equal("https://api.eu.amazonalexa.com", request.Context.System.ApiEndpoint);
    }

    [Fact]
    public void Deserialize_WhenIntentConfirmedWithResolutions_ReadsMatchAndNoMatch()
    {
        var request = Parse("intent-confirmed-resolutions.json");

        var intent = Assert.IsType<IntentRequest>(request.Request);
        Assert.Equal("IN_PROGRESS", intent.DialogState);
        Assert.Equal("CONFIRMED", intent.Intent!.ConfirmationStatus);
        var tagValue = intent.Intent.Slots!["TagValue"];
        var authority = Assert.Single(tagValue.Resolutions!.ResolutionsPerAuthority!);
        Assert.Equal("ER_SUCCESS_MATCH", authority.Status!.Code);
        Assert.Equal("production", authority.Values![0].Value!.Name);
        Assert.Equal("PRODUCTION", authority.Values[0].Value!.Id);
        var scope = intent.Intent.Slots["Scope"].Resolutions!.ResolutionsPerAuthority![0];
        Assert.Equal("ER_SUCCESS_NO_MATCH", scope.Status!.Code);
        Assert.Null(scope.Values);
        Assert.Equal("CONFIRMED", intent.Intent.Slots["InstanceName"].ConfirmationStatus);
    }

    [Fact]
    public void SlotInput_WhenResolutionsPresent_PrefersDynamicMatchAndReportsNoMatch()
    {
        var intent = ((IntentRequest)Parse("intent-confirmed-resolutions.json").Request!).Intent;

        var tagValue = SlotInput.From(intent, "TagValue");
        var instance = SlotInput.From(intent, "InstanceName");
        var scope = SlotInput.From(intent, "Scope");
        var count = SlotInput.From(intent, "ConfirmCount");
        var absent = SlotInput.From(intent, "ExceptName");

        Assert.Equal((SlotStatus.Matched, "prod", "production", "PRODUCTION"), (tagValue.Status, tagValue.Heard, tagValue.Value, tagValue.ResolvedId));
        // The static authority said no match, the dynamic one matched: the dynamic match wins.
        Assert.Equal((SlotStatus.Matched, "web-1", "i-0abc1234567890001"), (instance.Status, instance.Value, instance.ResolvedId));
        Assert.Equal((SlotStatus.NotMatched, "the broken ones", null), (scope.Status, scope.Value, scope.ResolvedName));
        // Alexa sends "?" for a number it could not hear.
        Assert.Equal(SlotStatus.Missing, count.Status);
        Assert.False(absent.HasValue);
        Assert.Equal("production", Assert.Single(tagValue.Values).Value);
    }

    [Fact]
    public void Deserialize_WhenSlotHasMultipleValues_ReadsEachValueWithItsResolution()
    {
        var request = Parse("intent-multi-value.json");

        var slot = ((IntentRequest)request.Request!).Intent!.Slots!["InstanceName"];
        Assert.Null(slot.Value);
        Assert.Equal("List", slot.SlotValue!.Type);
        Assert.Equal(["web one", "db one"], slot.SlotValue.Values!.Select(v => v.Value));
        Assert.All(slot.SlotValue.Values!, v => Assert.Equal("Simple", v.Type));
        Assert.Equal("db-1", slot.SlotValue.Values![1].Resolutions!.ResolutionsPerAuthority![0].Values![0].Value!.Name);
    }

    [Fact]
    public void SlotInput_WhenSlotHasMultipleValues_ListsEachAndNeverMatchesAsOne()
    {
        var intent = ((IntentRequest)Parse("intent-multi-value.json").Request!).Intent;

        var names = SlotInput.From(intent, "InstanceName");
        var reason = SlotInput.From(intent, "Reason");

        // A handler that reads only Value must not act on just web-1 when db-1 was named too.
        Assert.Equal(SlotStatus.Heard, names.Status);
        Assert.Null(names.ResolvedName);
        Assert.Equal("web one, db one", names.Value);
        Assert.Equal(["web-1", "db-1"], names.Values.Select(v => v.Value));
        Assert.All(names.Values, v => Assert.Equal(SlotStatus.Matched, v.Status));
        Assert.Equal((SlotStatus.Heard, "suspicious traffic"), (reason.Status, reason.Value));
    }

    [Fact]
    public void Deserialize_WhenSessionEndedWithError_ReadsReasonAndError()
    {
        var ended = Assert.IsType<SessionEndedRequest>(Parse("session-ended-error.json").Request);

        Assert.Equal("SessionEndedRequest", ended.Type);
        Assert.Equal("ERROR", ended.Reason);
        Assert.Equal("INVALID_RESPONSE", ended.Error!.Type);
        Assert.StartsWith("The response contains a directive", ended.Error.Message);
    }

    [Fact]
    public void Deserialize_WhenExceptionEncountered_ReadsErrorAndCauseWithoutSession()
    {
        var request = Parse("exception-encountered.json");

        var exception = Assert.IsType<SystemExceptionRequest>(request.Request);
        Assert.Equal("System.ExceptionEncountered", exception.Type);
        Assert.Null(request.Session);
        Assert.Equal("INVALID_RESPONSE", exception.Error!.Type);
        Assert.Equal("Invalid directive in response.", exception.Error.Message);
        Assert.Equal("amzn1.echo-api.request.fx-earlier", exception.Cause!.RequestId);
    }

    [Fact]
    public void Deserialize_WhenCanFulfillIntentRequest_ReadsIntentAndSlots()
    {
        var request = Assert.IsType<CanFulfillIntentRequest>(Parse("can-fulfill.json").Request);

        Assert.Equal("CanFulfillIntentRequest", request.Type);
        Assert.Equal("AMAZON.HelpIntent", request.Intent!.Name);
        Assert.Null(request.Intent.ConfirmationStatus);
        Assert.Equal("patching", request.Intent.Slots!["Topic"].Value);
    }

    [Fact]
    public void Deserialize_WhenRequestTypeIsUnknown_ParsesAsBaseRequestKeepingCommonFields()
    {
        var request = Parse("connections-response.json").Request!;

        Assert.Equal(typeof(Request), request.GetType());
        Assert.Equal("Unknown", request.Type);
        Assert.Equal("amzn1.echo-api.request.fx-connections", request.RequestId);
        Assert.Equal("en-US", request.Locale);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 12, 7, 0, TimeSpan.Zero), request.Timestamp);
    }

    [Fact]
    public void Deserialize_WhenTypeComesAfterOtherFields_StillChoosesTheRequestType()
    {
        var request = Parse("type-after-fields.json");

        var intent = Assert.IsType<IntentRequest>(request.Request);
        Assert.Equal("ReleaseIntent", intent.Intent!.Name);
        Assert.Equal("DENIED", intent.Intent.ConfirmationStatus);
        Assert.Equal("COMPLETED", intent.DialogState);
        Assert.Equal("web one", intent.Intent.Slots!["InstanceName"].Value);
        Assert.False(request.Session!.New);
    }

    [Fact]
    public void Deserialize_WhenTimestampIsEpochMilliseconds_ReadsTheSameInstant()
    {
        var request = Parse("epoch-timestamp.json");

        Assert.Equal(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero), request.Request!.Timestamp);
    }

    [Theory]
    [InlineData("\"2026-11-29T12:00:00Z\"", "2026-11-29T12:00:00Z")]
    [InlineData("\"2026-11-29T13:00:00+01:00\"", "2026-11-29T12:00:00Z")]
    [InlineData("\"2026-11-29T12:00:00.250Z\"", "2026-11-29T12:00:00.250Z")]
    [InlineData("1795953600000", "2026-11-29T12:00:00Z")]
    [InlineData("\"1795953600000\"", "2026-11-29T12:00:00Z")]
    [InlineData("1795953600", "2026-11-29T12:00:00Z")]
    [InlineData("1795953600000.0", "2026-11-29T12:00:00Z")]
    [InlineData("null", null)]
    [InlineData("\"yesterday\"", null)]
    [InlineData("{\"when\": 1}", null)]
    [InlineData("[1, 2]", null)]
    [InlineData("true", null)]
    public void Deserialize_WhenTimestampHasAnyShape_ReadsItOrNullWithoutFailing(string timestampJson, string? expected)
    {
        var json = "{\"version\":\"1.0\",\"request\":{\"type\":\"LaunchRequest\",\"timestamp\":" + timestampJson + ",\"requestId\":\"r1\"}}";

        var request = ParseJson(json);

        Assert.Equal("r1", request.Request!.RequestId);
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), request.Request.Timestamp);
    }

    [Fact]
    public void Deserialize_WhenContextIsNullAndFieldsAreNull_FallsBackToSession()
    {
        var request = Parse("nulls-no-context.json");

        Assert.Null(request.Context);
        Assert.Equal(FixtureSkill, request.ApplicationId);
        Assert.Equal("amzn1.ask.account.FIXTUREUSER", request.UserId);
        Assert.Null(request.PersonId);
        Assert.Null(request.Session!.Attributes);
        var intent = Assert.IsType<IntentRequest>(request.Request);
        Assert.Null(intent.Locale);
        Assert.Null(intent.Timestamp);
        Assert.Null(intent.DialogState);
        Assert.Null(intent.Intent!.Slots);
    }

    [Fact]
    public void Deserialize_WhenUnknownFieldsAppearEverywhere_IgnoresThem()
    {
        var request = Parse("unknown-fields.json");

        var intent = Assert.IsType<IntentRequest>(request.Request);
        Assert.Equal("AMAZON.NavigateHomeIntent", intent.Intent!.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 11, 9, 0, 123, TimeSpan.Zero), intent.Timestamp);
        Assert.Equal("amzn1.ask.person.FIXTUREPERSON", request.PersonId);
        Assert.Equal("amzn1.ask.unit.FIXTURE", request.Context!.System!.Unit!.UnitId);
        Assert.Equal("amzn1.alexa.unit.did.FIXTURE", request.Context.System.Unit.PersistentUnitId);
        Assert.Equal("https://api.fe.amazonalexa.com", request.Context.System.ApiEndpoint);
    }

    [Fact]
    public void Deserialize_WhenRequestHasNoType_ParsesAsUnknownRequest()
    {
        var request = ParseJson("{\"version\":\"1.0\",\"request\":{\"requestId\":\"r2\",\"locale\":\"en-US\"}}");

        Assert.Equal(typeof(Request), request.Request!.GetType());
        Assert.Equal("r2", request.Request.RequestId);
    }
}
