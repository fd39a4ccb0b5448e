using System.Text.Json;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Flavors;

/// <summary>
/// nova/api/openstack/compute/views/flavors.py. The microversion gates: <c>description</c> from 2.55,
/// <c>extra_specs</c> from 2.61 (detail and show), <c>swap</c> an empty string when zero below 2.75 and an integer from 2.75.
/// </summary>
internal static class FlavorView
{
    public static bool HasDescription(Microversion version) => version.AtLeast(2, 55);

    public static bool HasExtraSpecs(Microversion version) => version.AtLeast(2, 61);

    public static bool SwapIsInteger(Microversion version) => version.AtLeast(2, 75);

    /// <summary>The GET /flavors entry: id, name, links (+ description).</summary>
    public static void WriteBasic(Utf8JsonWriter w, Flavor flavor, Microversion version, ServiceUrls urls)
    {
        w.WriteStartObject();
        w.WriteString("id", flavor.Id);
        w.WriteString("name", flavor.Name);
        WriteLinks(w, flavor, urls);
        if (HasDescription(version))
        {
            w.WriteStringOrNull("description", flavor.Description);
        }

        w.WriteEndObject();
    }

    /// <summary>The full flavor (detail, show, create, update).</summary>
    public static void WriteFull(Utf8JsonWriter w, Flavor flavor, Microversion version, ServiceUrls urls, bool includeExtraSpecs)
    {
        w.WriteStartObject();
        w.WriteString("id", flavor.Id);
        w.WriteString("name", flavor.Name);
        w.WriteNumber("ram", flavor.MemoryMb);
        w.WriteNumber("disk", flavor.RootGb);
        if (SwapIsInteger(version))
        {
            w.WriteNumber("swap", flavor.SwapMb);
        }
        else if (flavor.SwapMb == 0)
        {
            w.WriteString("swap", "");
        }
        else
        {
            w.WriteNumber("swap", flavor.SwapMb);
        }

        w.WriteNumber("OS-FLV-EXT-DATA:ephemeral", flavor.EphemeralGb);
        w.WriteBoolean("OS-FLV-DISABLED:disabled", flavor.Disabled);
        w.WriteNumber("vcpus", flavor.Vcpus);
        w.WriteBoolean("os-flavor-access:is_public", flavor.IsPublic);
        if (flavor.RxtxFactor == 0)
        {
            w.WriteString("rxtx_factor", "");
        }
        else
        {
            w.WritePyFloat("rxtx_factor", flavor.RxtxFactor);
        }

        WriteLinks(w, flavor, urls);
        if (HasDescription(version))
        {
            w.WriteStringOrNull("description", flavor.Description);
        }

        if (includeExtraSpecs && HasExtraSpecs(version))
        {
            w.WriteStringMap("extra_specs", flavor.ExtraSpecs);
        }

        w.WriteEndObject();
    }

    private static void WriteLinks(Utf8JsonWriter w, Flavor flavor, ServiceUrls urls)
    {
        var id = Uri.EscapeDataString(flavor.Id);
        w.WriteLinks($"{urls.Compute}/flavors/{id}", $"{urls.ComputeBookmark}/flavors/{id}");
    }
}
