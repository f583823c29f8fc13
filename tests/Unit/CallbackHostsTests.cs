using System.Net;
using Sandbox.Engine.Callbacks;

namespace Sandbox.Tests.Unit;

public class CallbackHostsTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("2001:db8::1", false)]
    public void Defaults_allow_loopback_and_private_ranges_only(string address, bool allowed) =>
        Assert.Equal(allowed, new CallbackHosts(null).AllowsAddress(IPAddress.Parse(address)));

    [Fact]
    public void Names_domains_ranges_and_comma_separated_values()
    {
        var hosts = new CallbackHosts(["hooks.example.com, *.partner.test", "203.0.113.0/24"]);
        Assert.True(hosts.AllowsName("hooks.example.com"));
        Assert.True(hosts.AllowsName("api.partner.test"));
        Assert.False(hosts.AllowsName("partner.test.evil.com"));
        Assert.False(hosts.AllowsName("localhost"));
        Assert.True(hosts.AllowsAddress(IPAddress.Parse("203.0.113.200")));
        Assert.False(hosts.AllowsAddress(IPAddress.Parse("203.0.114.1")));
        Assert.False(hosts.AllowsAddress(IPAddress.Loopback));
    }

    [Fact]
    public void A_star_allows_everything()
    {
        var hosts = new CallbackHosts(["*"]);
        Assert.True(hosts.AllowsName("anything.example"));
        Assert.True(hosts.AllowsAddress(IPAddress.Parse("8.8.8.8")));
    }

    [Theory]
    [InlineData("http://a/cb", "", "http://a/cb")]
    [InlineData("http://a/cb", "?x=1&y=2", "http://a/cb?x=1&y=2")]
    [InlineData("http://a/cb?k=v", "?x=1", "http://a/cb?k=v&x=1")]
    [InlineData("http://a/folder/", "/Notify.aspx?x=1", "http://a/folder/Notify.aspx?x=1")]
    [InlineData("http://a/folder", "/Notify.aspx", "http://a/folder/Notify.aspx")]
    public void Targets_join_a_base_url_and_a_suffix(string baseUrl, string suffix, string expected) =>
        Assert.Equal(expected, CallbackTarget.Join(baseUrl, suffix));
}
