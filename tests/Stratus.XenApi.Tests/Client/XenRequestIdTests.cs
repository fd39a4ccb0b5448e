using System.Net;
using System.Text;
using Stratus.XenApi.Client;

namespace Stratus.XenApi.Tests.Client;

public sealed class XenRequestIdTests
{
    [Fact]
    public async Task CallAsync_InsideABeginScope_SendsTheIdAsXRequestId()
    {
        var handler = new CapturingHandler();
        using var client = new XenApiClient(new Uri("http://host.test/"), XenTransport.JsonRpc, handler);

        using (XenRequestId.Begin("req-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))
        {
            await client.CallAsync("pool.get_all", ["OpaqueRef:s"], TestContext.Current.CancellationToken);
        }

        await client.CallAsync("pool.get_all", ["OpaqueRef:s"], TestContext.Current.CancellationToken);

        Assert.Equal(["req-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", null], handler.Ids);
    }

    [Fact]
    public async Task CallAsync_ExplicitId_WinsOverTheAmbientOne()
    {
        var handler = new CapturingHandler();
        using var client = new XenApiClient(new Uri("http://host.test/"), XenTransport.XmlRpc, handler);

        using (XenRequestId.Begin("req-ambient"))
        {
            await client.CallAsync("pool.get_all", ["OpaqueRef:s"], TestContext.Current.CancellationToken, requestId: "req-explicit");
        }

        Assert.Equal(["req-explicit"], handler.Ids);
    }

    [Fact]
    public async Task Begin_NestedScopes_RestoreThePreviousId()
    {
        using (XenRequestId.Begin("req-outer"))
        {
            using (XenRequestId.Begin("req-inner"))
            {
                Assert.Equal("req-inner", XenRequestId.Current);
            }

            // The id flows into awaited work and comes back after the inner scope.
            await Task.Yield();
            Assert.Equal("req-outer", XenRequestId.Current);
        }

        Assert.Null(XenRequestId.Current);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<string?> Ids { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Ids.Add(request.Headers.TryGetValues(XenRequestId.Header, out var values) ? values.Single() : null);
            var json = request.RequestUri!.AbsolutePath.EndsWith("jsonrpc", StringComparison.Ordinal);
            var body = json
                ? """{"jsonrpc":"2.0","result":[],"id":1}"""
                : "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name><value><array><data/></array></value></member></struct></value></param></params></methodResponse>";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, json ? "application/json" : "text/xml") });
        }
    }
}
