using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Api;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Tests.Identity;

public sealed class AuthRequestReaderTests
{
    [Fact]
    public void Read_PasswordByUserId_ProjectById()
    {
        var request = AuthRequestReader.Read(Parse("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u1","password":"p"}}},"scope":{"project":{"id":"p1"}}}}"""));

        Assert.Equal("u1", request.Password!.UserId);
        Assert.Equal("p1", request.Scope!.ProjectId);
    }

    [Fact]
    public void Read_ExplicitlyUnscoped_NoScope() =>
        Assert.Null(AuthRequestReader.Read(Parse("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u1","password":"p"}}},"scope":"unscoped"}}""")).Scope);

    [Fact]
    public void ToString_Credentials_NeverShowsThePassword()
    {
        var request = AuthRequestReader.Read(Parse("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","domain":{"id":"default"},"password":"hunter2"}}}}}"""));

        Assert.DoesNotContain("hunter2", request.Password!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", request.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"auth":[]}""")]
    [InlineData("""{"auth":{}}""")]
    [InlineData("""{"auth":{"identity":{"methods":[]}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":"password"}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":[1]}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":["password"]}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"a","password":"p"}}}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"a","domain":{},"password":"p"}}}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u","password":7}}}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u"}}}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":["token"],"token":{}}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u","password":"p"}}},"scope":{"project":{"name":"x"}}}}""")]
    [InlineData("""{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u","password":"p"}}},"scope":{"bogus":{}}}}""")]
    public void Read_Malformed_BadRequest(string json)
    {
        var error = Assert.Throws<ApiException>(() => AuthRequestReader.Read(Parse(json)));

        Assert.Equal(400, error.Status);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
