using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Tests.Alexa;

public sealed class SsmlTests
{
    [Theory]
    [InlineData("web-1 & db-1", "web-1 &amp; db-1")]
    [InlineData("<audio src=\"https://evil.example/a.mp3\"/>", "&lt;audio src=\"https://evil.example/a.mp3\"/&gt;")]
    [InlineData("</speak><speak>", "&lt;/speak&gt;&lt;speak&gt;")]
    [InlineData("line one\nline two\ttabbed", "line one line two tabbed")]
    [InlineData("bell\u0007", "bell ")]
    [InlineData("it's \"quoted\"", "it's \"quoted\"")]
    public void Escape_WhenTextHasMarkupOrControlCharacters_MakesItInertSsmlText(string text, string expected)
    {
        Assert.Equal(expected, Ssml.Escape(text));
    }

    [Fact]
    public void ToPlainText_WhenSsmlHasTagsAndEntities_ReturnsWhatIsSpoken()
    {
        Assert.Equal("ends in 4f2a & <b>", Ssml.ToPlainText("<speak>ends in <say-as interpret-as=\"characters\">4f2a</say-as> &amp; &lt;b&gt;</speak>"));
    }

    [Fact]
    public void Spoken_WhenOutsideTextIsJoinedWithMarkup_EscapesOnlyTheOutsideText()
    {
        var spoken = Spoken.Join(Spoken.Plain("Tag <b>&</b>"), Spoken.Characters("4f<2a"));

        Assert.Equal("Tag &lt;b&gt;&amp;&lt;/b&gt; <say-as interpret-as=\"characters\">4f&lt;2a</say-as>", spoken.SsmlBody);
        Assert.Equal("Tag <b>&</b> 4f<2a", spoken.Text);
        Assert.Equal("<speak>" + spoken.SsmlBody + "</speak>", spoken.ToOutputSpeech().Ssml);
        System.Xml.Linq.XElement.Parse(spoken.ToOutputSpeech().Ssml!);
    }
}
