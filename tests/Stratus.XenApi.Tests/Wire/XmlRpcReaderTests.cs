using System.Text;
using Stratus.XenApi.Wire;

namespace Stratus.XenApi.Tests.Wire;

public sealed class XmlRpcReaderTests
{
    [Fact]
    public void ReadCall_ContractExample_ReadsMethodAndUntypedStrings()
    {
        var call = XmlRpcReader.ReadCall(Golden.Stream("xmlrpc/call-get-power-state.xml"));
        Assert.Equal("VM.get_power_state", call.Method);
        Assert.Equal(["OpaqueRef:6f1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11", "OpaqueRef:0b9c1d27-5b3f-4e0c-a3f2-7d7ad2f1c0aa"], call.Params);
    }

    [Fact]
    public void ReadCall_PythonTypedValues_AcceptsEveryTypedForm()
    {
        // What Python's xmlrpc.client sends (nova, XenAPI.py): <string>, <int>, <i8>, <boolean>, <double>, <nil/>, <base64>.
        var call = XmlRpcReader.ReadCall(Golden.Stream("xmlrpc/call-python-typed.xml"));
        Assert.Equal("VM.create", call.Method);
        Assert.Equal("OpaqueRef:6f1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11", call.Params[0]);
        var record = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(call.Params[1]);
        Assert.Equal("nova-instance & <1>", record["name_label"]);
        Assert.Equal("4294967296", record["memory_static_max"]);
        Assert.Equal(2L, record["VCPUs_max"]);
        Assert.Equal(9007199254740993L, record["user_version"]);
        Assert.Equal(false, record["is_a_template"]);
        Assert.Equal(1.5, record["HVM_shadow_multiplier"]);
        Assert.Null(record["affinity"]);
        Assert.Equal("console=hvc0", record["PV_args"]);
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<object?>>(record["tags"]));
        Assert.Equal("3f9a0c8e", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(record["other_config"])["nova_uuid"]);
    }

    [Fact]
    public void ReadCall_UntypedAndWhitespace_KeepsTextAndSkipsLayout()
    {
        var call = XmlRpcReader.ReadCall(Golden.Stream("xmlrpc/call-untyped-whitespace.xml"));
        Assert.Equal("event.from", call.Method);
        Assert.Equal(8, call.Params.Count);
        Assert.Equal(["vm", "task"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(call.Params[1]));
        Assert.Equal("  padded token  ", call.Params[2]);
        Assert.Equal(60.1, call.Params[3]);
        Assert.Equal("", call.Params[4]);
        Assert.Equal(7L, call.Params[5]);
        Assert.Equal(new DateTime(2025, 1, 31, 13, 45, 7, DateTimeKind.Utc), call.Params[6]);
        Assert.Equal(true, call.Params[7]);
    }

    [Fact]
    public void ReadCall_EmptyParams_HasNoParameters()
    {
        var call = XmlRpcReader.ReadCall(Golden.Stream("xmlrpc/call-list-methods.xml"));
        Assert.Equal("system.listMethods", call.Method);
        Assert.Empty(call.Params);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml at all")]
    [InlineData("<methodResponse/>")]
    [InlineData("<methodCall><methodName></methodName></methodCall>")]
    [InlineData("<methodCall><methodName>VM.get_all</methodName><params><param><value><int>x</int></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>VM.get_all</methodName><params><param><value><boolean>2</boolean></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>VM.get_all</methodName><params><param><value><blob>1</blob></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>VM.get_all</methodName><params><param><value><base64>!!</base64></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>VM.get_all</methodName><params><param><value><struct><member><value>x</value></member></struct></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>VM.get_all</methodName><params><param><value><string>a</string><string>b</string></value></param></params></methodCall>")]
    [InlineData("<methodCall><methodName>VM.get_all</methodName><params><param><value>unterminated")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><methodCall><methodName>&e;</methodName></methodCall>")]
    public void ReadCall_Malformed_ThrowsMalformedRequest(string body)
    {
        var e = Assert.Throws<MalformedRequestException>(() => XmlRpcReader.ReadCall(new MemoryStream(Encoding.UTF8.GetBytes(body))));
        Assert.Equal(XenErrors.XmlRpcUnmarshalFailure, e.ToFailure().Code);
    }

    [Fact]
    public void ReadCall_NestingDeeperThan64_IsMalformed()
    {
        var open = string.Concat(Enumerable.Repeat("<value><array><data>", 100));
        var close = string.Concat(Enumerable.Repeat("</data></array></value>", 100));
        var body = $"<methodCall><methodName>x</methodName><params><param>{open}{close}</param></params></methodCall>";
        Assert.Throws<MalformedRequestException>(() => XmlRpcReader.ReadCall(new MemoryStream(Encoding.UTF8.GetBytes(body))));
    }

    [Fact]
    public void ReadResponse_Failure_ReturnsEnvelopeWithDescription()
    {
        var envelope = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(XmlRpcReader.ReadResponse(Golden.Stream("xmlrpc/failure-bad-power-state.xml")));
        Assert.Equal("Failure", envelope["Status"]);
        Assert.Equal(["VM_BAD_POWER_STATE", "OpaqueRef:0b9c1d27-5b3f-4e0c-a3f2-7d7ad2f1c0aa", "halted", "running"],
            Assert.IsAssignableFrom<IReadOnlyList<object?>>(envelope["ErrorDescription"]));
    }

    [Fact]
    public void ReadResponse_Bare_ReturnsTheArray() =>
        Assert.Equal(["VM.get_all_records", "VM.start", "system.listMethods"],
            Assert.IsAssignableFrom<IReadOnlyList<object?>>(XmlRpcReader.ReadResponse(Golden.Stream("xmlrpc/list-methods-bare.xml"))));

    [Fact]
    public void ReadResponse_StandardFault_BecomesXenApiFailure()
    {
        const string fault = "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member><member><name>faultString</name><value>Too many parameters.</value></member></struct></value></fault></methodResponse>";
        var failure = Assert.Throws<XenApiFailure>(() => XmlRpcReader.ReadResponse(new MemoryStream(Encoding.UTF8.GetBytes(fault))));
        Assert.Equal(["XMLRPC_FAULT", "4", "Too many parameters."], failure.Description);
    }

    [Fact]
    public void ReadValue_TaskResultFragment_ParsesRef()
    {
        Assert.Equal("OpaqueRef:9a1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11", XmlRpcReader.ReadValue(Golden.Text("xmlrpc/task-result-ref.xml")));
        Assert.Null(XmlRpcReader.ReadValue(""));
    }

    [Fact]
    public void WriteThenRead_EveryValueType_RoundTrips()
    {
        var original = SampleValues.EveryType("round & <trip>\r\n", withDoubles: true);
        var xml = XmlRpcWriter.ToValueString(original);
        var read = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(XmlRpcReader.ReadValue(xml));
        Assert.Equal(original.Keys, read.Keys);
        // Untyped ints come back as strings (as Python sees them); everything else keeps its type.
        Assert.Equal("4294967296", read["memory_static_max"]);
        Assert.Equal("-1", read["domid"]);
        Assert.Equal("round & <trip>\r\n", read["name_label"]);
        foreach (var key in new[] { "is_a_template", "is_control_domain", "progress", "HVM_shadow_multiplier", "large", "small", "created", "resident_on" })
        {
            Assert.Equal(original[key], read[key]);
        }

        Assert.Equal(12L, ((IReadOnlyDictionary<string, object?>)read["valid_ref_counts"]!)["vm"]);
        Assert.Equal((IEnumerable<object?>)original["VBDs"]!, (IEnumerable<object?>)read["VBDs"]!);
    }
}
