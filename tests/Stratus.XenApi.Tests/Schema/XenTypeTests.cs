using Stratus.XenApi.Schema;

namespace Stratus.XenApi.Tests.Schema;

public sealed class XenTypeTests
{
    [Theory]
    [InlineData("4294967296", 4294967296L)]
    [InlineData(" -1 ", -1L)]
    [InlineData(7L, 7L)]
    [InlineData(7, 7L)]
    [InlineData(3.0, 3L)]
    public void CoerceInt_WireForms_BecomeLong(object wire, long expected) =>
        Assert.Equal(expected, XenType.Int.Coerce(wire, "x"));

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(1.5)]
    [InlineData(true)]
    public void CoerceInt_NotANumber_IsFieldTypeError(object wire)
    {
        var failure = Assert.Throws<XenApiFailure>(() => XenType.Int.Coerce(wire, "memory_static_max"));
        Assert.Equal(["FIELD_TYPE_ERROR", "memory_static_max"], failure.Description);
    }

    [Fact]
    public void CoerceInt_Null_IsFieldTypeError() =>
        Assert.Throws<XenApiFailure>(() => XenType.Int.Coerce(null, "x"));

    [Theory]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData(true, true)]
    public void CoerceBool_WireForms(object wire, bool expected) => Assert.Equal(expected, XenType.Bool.Coerce(wire, "b"));

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData(2L, 2.0)]
    [InlineData(60.1, 60.1)]
    public void CoerceFloat_WireForms(object wire, double expected) => Assert.Equal(expected, XenType.Float.Coerce(wire, "f"));

    [Theory]
    [InlineData("20250131T13:45:07Z")]
    [InlineData("2025-01-31T13:45:07Z")]
    [InlineData("20250131T134507Z")]
    [InlineData("2025-01-31T14:45:07+01:00")]
    [InlineData("2025-01-31T13:45:07.000Z")]
    public void CoerceDateTime_XapiAndIsoForms_AreUtc(string wire)
    {
        var value = Assert.IsType<DateTime>(XenType.DateTime.Coerce(wire, "d"));
        Assert.Equal(new DateTime(2025, 1, 31, 13, 45, 7, DateTimeKind.Utc), value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
    }

    [Theory]
    [InlineData("halted", "Halted")]
    [InlineData("RUNNING", "Running")]
    [InlineData("Paused", "Paused")]
    public void CoerceEnum_AnyCase_IsCanonical(string wire, string expected) =>
        Assert.Equal(expected, XenType.EnumOf(XenEnums.VmPowerState).Coerce(wire, "power_state"));

    [Fact]
    public void CoerceEnum_UnknownMember_IsInvalidValue()
    {
        var failure = Assert.Throws<XenApiFailure>(() => XenType.EnumOf(XenEnums.VmPowerState).Coerce("Crashed", "power_state"));
        Assert.Equal(["INVALID_VALUE", "power_state", "Crashed"], failure.Description);
    }

    [Theory]
    [InlineData("", "OpaqueRef:NULL")]
    [InlineData(null, "OpaqueRef:NULL")]
    [InlineData("OpaqueRef:abc", "OpaqueRef:abc")]
    public void CoerceRef_EmptyIsNull(string? wire, string expected) => Assert.Equal(expected, XenType.RefTo("host").Coerce(wire, "affinity"));

    [Fact]
    public void CoerceSet_ElementsAreCoerced() =>
        Assert.Equal([1L, 2L], (IEnumerable<object?>)XenType.SetOf(XenType.Int).Coerce(new object?[] { "1", 2L }, "s")!);

    [Fact]
    public void CoerceMap_ValuesCoercedKeysChecked()
    {
        var map = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(
            XenType.MapOf(XenType.Int, XenType.Float).Coerce(XenValue.Map(("0", "0.5"), ("1", 1L)), "VCPUs_utilisation"));
        Assert.Equal(0.5, map["0"]);
        Assert.Equal(1.0, map["1"]);
        Assert.Throws<XenApiFailure>(() => XenType.MapOf(XenType.Int, XenType.Float).Coerce(XenValue.Map(("cpu0", 0.5)), "m"));
    }

    [Fact]
    public void CoerceSet_NotAList_IsFieldTypeError() =>
        Assert.Throws<XenApiFailure>(() => XenType.SetOf(XenType.String).Coerce("a", "tags"));

    [Fact]
    public void CoerceRecord_ConstructorFields_DefaultsMissingAndIgnoresRuntime()
    {
        var record = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(XenType.RecordOf("VM").Coerce(new Dictionary<string, object?>
        {
            ["name_label"] = "web",
            ["memory_static_max"] = "4294967296",
            ["actions_after_crash"] = "restart",
            ["power_state"] = "running",
            ["domid"] = "5",
        }, "args"));
        Assert.Equal("web", record["name_label"]);
        Assert.Equal(4294967296L, record["memory_static_max"]);
        Assert.Equal("restart", record["actions_after_crash"]);
        Assert.Equal("", record["name_description"]);
        Assert.Equal(new Dictionary<string, object?>(), record["other_config"]);
        // domid is DynamicRO: constructors never take it.
        Assert.False(record.ContainsKey("domid"));
    }

    [Fact]
    public void ToString_DatamodelSpelling() =>
        Assert.Equal("(string -> VM ref) map", XenType.MapOf(XenType.String, XenType.RefTo("VM")).ToString());
}
