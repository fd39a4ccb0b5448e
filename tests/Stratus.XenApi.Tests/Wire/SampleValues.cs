namespace Stratus.XenApi.Tests.Wire;

/// <summary>One record with every XenAPI value type, in the order of the golden files' "every-type" replies.</summary>
internal static class SampleValues
{
    public static Dictionary<string, object?> EveryType(string name, bool withDoubles)
    {
        var record = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name_label"] = name,
            ["memory_static_max"] = 4294967296L,
            ["domid"] = -1L,
            ["is_a_template"] = false,
            ["is_control_domain"] = true,
            ["progress"] = 0.25,
            ["HVM_shadow_multiplier"] = 1.0,
        };
        if (withDoubles)
        {
            record["large"] = 1e20;
            record["small"] = 1e-5;
        }

        record["created"] = new DateTime(2025, 1, 31, 13, 45, 7, DateTimeKind.Utc);
        record["resident_on"] = XenRef.Null;
        record["VBDs"] = new object?[] { "OpaqueRef:6f1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11" };
        record["tags"] = Array.Empty<object?>();
        record["other_config"] = XenValue.Map(("nova_uuid", "3f9a0c8e"));
        record["platform"] = XenValue.EmptyMap;
        // valid_ref_counts is the one Int32 in the API: <i4> in XML-RPC.
        record["valid_ref_counts"] = new Dictionary<string, object?> { ["vm"] = 12 };
        return record;
    }
}
