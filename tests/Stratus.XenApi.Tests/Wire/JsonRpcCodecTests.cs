using System.Text;
using System.Text.Json;
using Stratus.XenApi.Wire;

namespace Stratus.XenApi.Tests.Wire;

public sealed class JsonRpcCodecTests
{
    [Fact]
    public void ReadCall_V1Login_IsVersion1WithIntegerId()
    {
        var call = JsonRpcCodec.ReadCall(Golden.Bytes("jsonrpc/call-v1-login.json"));
        Assert.Equal("session.login_with_password", call.Method);
        Assert.Equal(["root", "secret", "2.21", "MyTool"], call.Params);
        Assert.Equal(JsonRpcVersion.V1, call.Version);
        Assert.Equal(1L, call.Id);
    }

    [Fact]
    public void ReadCall_V2_IsDetectedPerRequest()
    {
        var call = JsonRpcCodec.ReadCall(Golden.Bytes("jsonrpc/call-v2-get-all.json"));
        Assert.Equal(JsonRpcVersion.V2, call.Version);
        Assert.Equal(7L, call.Id);
        Assert.Equal("VM.get_all", call.Method);
    }

    [Fact]
    public void WriteSuccess_V1_HasNullError() =>
        Assert.Equal(Golden.Text("jsonrpc/v1-success.json"),
            Golden.Write(o => JsonRpcCodec.WriteSuccess(o, JsonRpcVersion.V1, 1L, "OpaqueRef:6f1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11")));

    [Fact]
    public void WriteFailure_V1_IsWholeArrayWithNullResult() =>
        Assert.Equal(Golden.Text("jsonrpc/v1-failure.json"),
            Golden.Write(o => JsonRpcCodec.WriteFailure(o, JsonRpcVersion.V1, 1L, ["SESSION_AUTHENTICATION_FAILED", "root", "Authentication failure"])));

    [Fact]
    public void WriteSuccess_V2_OmitsError()
    {
        // json-rpc-protocol (npm xen-api) treats "error": null in a v2 reply as an error object and throws.
        var json = Golden.Write(o => JsonRpcCodec.WriteSuccess(o, JsonRpcVersion.V2, 7L, new object?[]
        {
            "OpaqueRef:0b9c1d27-5b3f-4e0c-a3f2-7d7ad2f1c0aa", "OpaqueRef:91aa1d27-5b3f-4e0c-a3f2-7d7ad2f1c0aa",
        }));
        Assert.Equal(Golden.Text("jsonrpc/v2-success.json"), json);
        Assert.DoesNotContain("\"error\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFailure_V2_IsCodeOneWithMessageAndDataAndNoResult()
    {
        var json = Golden.Write(o => JsonRpcCodec.WriteFailure(o, JsonRpcVersion.V2, 7L, ["HANDLE_INVALID", "VM", "OpaqueRef:dead1d27-5b3f-4e0c-a3f2-7d7ad2f1c0aa"]));
        Assert.Equal(Golden.Text("jsonrpc/v2-failure.json"), json);
        Assert.DoesNotContain("\"result\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFailure_V2NoParamsStringId_HasEmptyDataAndEchoesId() =>
        Assert.Equal(Golden.Text("jsonrpc/v2-failure-no-params-string-id.json"),
            Golden.Write(o => JsonRpcCodec.WriteFailure(o, JsonRpcVersion.V2, "abc", ["EVENTS_LOST"])));

    [Fact]
    public void WriteSuccess_V2Void_IsEmptyString() =>
        Assert.Equal(Golden.Text("jsonrpc/v2-success-void.json"), Golden.Write(o => JsonRpcCodec.WriteSuccess(o, JsonRpcVersion.V2, 0L, "")));

    [Fact]
    public void WriteSuccess_EveryValueType_IntsAsNumbersDatesAsXapiStrings() =>
        Assert.Equal(Golden.Text("jsonrpc/v2-success-every-type.json"),
            Golden.Write(o => JsonRpcCodec.WriteSuccess(o, JsonRpcVersion.V2, 3L, SampleValues.EveryType("web <1> & co \"q\" \\ é", withDoubles: false))));

    [Theory]
    [InlineData("{bad")]
    [InlineData("[]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"params\":[],\"id\":1}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"\",\"params\":[],\"id\":1}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":42,\"params\":[],\"id\":1}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"VM.get_all\",\"params\":[]}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"VM.get_all\",\"params\":[],\"id\":null}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"VM.get_all\",\"params\":[],\"id\":1.5}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"VM.get_all\",\"params\":{\"a\":1},\"id\":1}")]
    public void ReadCall_Malformed_ThrowsMalformedRequest(string body)
    {
        var e = Assert.Throws<MalformedRequestException>(() => JsonRpcCodec.ReadCall(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(XenErrors.XmlRpcUnmarshalFailure, e.ToFailure().Code);
    }

    [Fact]
    public void ReadCall_IntegerAbove2Pow53_StaysAnExactLong()
    {
        // A JSON integer must not pass through double: 2^53 + 1 has no double.
        var call = JsonRpcCodec.ReadCall("{\"method\":\"VM.set_user_version\",\"params\":[9007199254740993, 0.5, 2],\"id\":1}"u8.ToArray());
        Assert.Equal(9007199254740993L, Assert.IsType<long>(call.Params[0]));
        Assert.Equal(0.5, Assert.IsType<double>(call.Params[1]));
        Assert.Equal(2L, Assert.IsType<long>(call.Params[2]));
    }

    [Fact]
    public void ReadCall_NoParams_HasNone() =>
        Assert.Empty(JsonRpcCodec.ReadCall("{\"method\":\"system.listMethods\",\"id\":\"x\"}"u8.ToArray()).Params);

    [Fact]
    public void ReadCall_DeepNesting_IsMalformed()
    {
        var body = "{\"method\":\"x\",\"id\":1,\"params\":[" + new string('[', 100) + new string(']', 100) + "]}";
        Assert.Throws<MalformedRequestException>(() => JsonRpcCodec.ReadCall(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("jsonrpc/v1-failure.json", new[] { "SESSION_AUTHENTICATION_FAILED", "root", "Authentication failure" })]
    [InlineData("jsonrpc/v2-failure.json", new[] { "HANDLE_INVALID", "VM", "OpaqueRef:dead1d27-5b3f-4e0c-a3f2-7d7ad2f1c0aa" })]
    [InlineData("jsonrpc/v2-failure-no-params-string-id.json", new[] { "EVENTS_LOST" })]
    public void ReadResponse_EitherFailureForm_ThrowsXenApiFailure(string golden, string[] description)
    {
        var failure = Assert.Throws<XenApiFailure>(() => JsonRpcCodec.ReadResponse(Golden.Bytes(golden)));
        Assert.Equal(description, failure.Description);
    }

    [Fact]
    public void ReadResponse_V1SuccessWithNullError_ReturnsResult() =>
        Assert.Equal("OpaqueRef:6f1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11", JsonRpcCodec.ReadResponse(Golden.Bytes("jsonrpc/v1-success.json")));

    [Fact]
    public void WriteThenRead_EveryValueType_RoundTrips()
    {
        var original = SampleValues.EveryType("round \"trip\" é\u0001", withDoubles: true);
        var json = Golden.Write(o => JsonRpcCodec.WriteCall(o, JsonRpcVersion.V2, 9L, "VM.create", ["OpaqueRef:x", original]));
        using (JsonDocument.Parse(json))
        {
            // Well-formed JSON even with a control character in a string.
        }

        var call = JsonRpcCodec.ReadCall(Encoding.UTF8.GetBytes(json));
        var read = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(call.Params[1]);
        Assert.Equal(original.Keys, read.Keys);
        Assert.Equal(4294967296L, Assert.IsType<long>(read["memory_static_max"]));
        Assert.Equal(-1L, read["domid"]);
        Assert.Equal("20250131T13:45:07Z", read["created"]);
        Assert.Equal(1e20, read["large"]);
        Assert.Equal(1e-5, read["small"]);
        Assert.Equal(0.25, read["progress"]);
        Assert.Equal(original["name_label"], read["name_label"]);
        Assert.Equal(12L, ((IReadOnlyDictionary<string, object?>)read["valid_ref_counts"]!)["vm"]);
    }
}
