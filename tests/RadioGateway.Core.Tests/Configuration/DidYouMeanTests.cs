using RadioGateway.Core.Configuration;

namespace RadioGateway.Core.Tests.Configuration;

public sealed class DidYouMeanTests
{
    private static readonly string[] Known = ["Broker", "ClientId", "colourCode", "MaxInFlight"];

    [Theory]
    [InlineData("broker", "Broker")]       // case
    [InlineData("client_id", "ClientId")]  // separators
    [InlineData("colorCode", "colourCode")] // American spelling of a British key
    [InlineData("Brokr", "Broker")]        // one edit
    [InlineData("MaxnFligt", "MaxInFlight")] // two edits
    public void A_near_key_is_suggested(string unknown, string expected)
    {
        Assert.Equal(expected, DidYouMean.Closest(unknown, Known));
        Assert.Equal($"; did you mean '{expected}'?", DidYouMean.Hint(unknown, Known));
    }

    [Fact]
    public void A_key_three_edits_away_gets_no_suggestion()
    {
        Assert.Null(DidYouMean.Closest("Bxxkxr", Known));
        Assert.Equal("", DidYouMean.Hint("Bxxkxr", Known));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("abc", "", 3)]
    public void Edit_distance_is_levenshtein(string a, string b, int expected)
    {
        Assert.Equal(expected, DidYouMean.EditDistance(a, b));
    }
}
