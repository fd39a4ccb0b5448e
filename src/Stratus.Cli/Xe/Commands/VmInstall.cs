using System.Text;
using System.Xml;
using Stratus.Cli.Xe.Records;
using Stratus.XenApi;

namespace Stratus.Cli.Xe.Commands;

/// <summary>
/// <c>vm-install</c> (cli_operations.ml <c>vm_install</c> and <c>vm_install_real</c>): find the template, clone it
/// (or copy it when an SR was named), point the provisioning XML (<c>other_config:disks</c>) at the chosen SR,
/// provision the disks and print the new VM's uuid. The new VM is destroyed again if any step after the clone fails.
/// </summary>
internal static class VmInstall
{
    public static async Task RunAsync(XeInvocation inv, CancellationToken ct)
    {
        var template = await FindTemplateAsync(inv, ct);
        if (!XeText.IsTrue(await inv.CallAsync("VM.get_is_a_template", ct, template)))
        {
            throw new XeCliFailure("Can only install from templates");
        }

        await InstallAsync(inv, template, inv.Params.Required("new-name-label"), "Installed via xe CLI", ct);
    }

    private static async Task<string> FindTemplateAsync(XeInvocation inv, CancellationToken ct)
    {
        if (inv.Params.Get("template-uuid") is { } templateUuid)
        {
            try
            {
                return await inv.CallStringAsync("VM.get_by_uuid", ct, templateUuid);
            }
            catch (XenApiFailure)
            {
                throw new XeCliFailure("Cannot find template");
            }
        }

        if ((inv.Params.Get("template-name-label") ?? inv.Params.Get("template-name")) is { } templateName)
        {
            return await FindByNameAsync(inv, templateName, ct);
        }

        if (inv.Params.Get("template") is { } nameOrUuid)
        {
            try
            {
                return await inv.CallStringAsync("VM.get_by_uuid", ct, nameOrUuid);
            }
            catch (XenApiFailure)
            {
                return await FindByNameAsync(inv, nameOrUuid, ct);
            }
        }

        throw new XeCliFailure("Template must be specified by parameter 'template-uuid', 'template-name', 'template-name-label' or 'template'");
    }

    private static async Task<string> FindByNameAsync(XeInvocation inv, string name, CancellationToken ct)
    {
        var vms = await XeRows.AllAsync(VmRecord.Vm, inv.Context, ct);
        var templates = await XeFilters.FilterAllAsync(vms, [new("name-label", name), new("is-a-template", "true"), new("is-control-domain", "false")], ct);
        return templates.Count switch
        {
            0 => throw new XeCliFailure("No templates matched"),
            1 => templates[0].Ref,
            _ => throw new XeCliFailure("More than one matching template found"),
        };
    }

    private static async Task InstallAsync(XeInvocation inv, string template, string name, string description, CancellationToken ct)
    {
        var p = inv.Params;

        // A snapshot's disks go back where the snapshot's disks are: an explicit SR is refused.
        string? sr = null;
        if (XeText.IsTrue(await inv.CallAsync("VM.get_is_a_snapshot", ct, template)))
        {
            if (p.Has("sr-name-label") || p.Has("sr-uuid"))
            {
                throw new XeCliFailure("Do not use the sr-name-label or sr-uuid argument when installing from a snapshot. By default, it will install each new disk on the same SR as the corresponding snapshot disks.");
            }

            sr = XenRef.Null;
        }
        else if (p.Get("sr-uuid") is { } srUuid)
        {
            sr = await inv.CallStringAsync("SR.get_by_uuid", ct, srUuid);
        }

        if (p.Get("sr-name-label") is { } srName)
        {
            var named = XeText.Set(await inv.CallAsync("SR.get_by_name_label", ct, srName));
            sr = named.Count switch
            {
                0 => throw new XeCliFailure("No SR with that name-label found"),
                _ when sr is not null => named.Contains(sr) ? sr : throw new XeCliFailure("SR specified via sr-uuid doesn't have the name specified via sr-name-label"),
                1 => named[0],
                _ => throw new XeCliFailure("Multiple SRs with that name-label found"),
            };
        }

        object? suspendSr;
        if (sr is not null)
        {
            try
            {
                await inv.CallAsync("SR.get_uuid", ct, sr);
                suspendSr = sr;
            }
            catch (XenApiFailure)
            {
                suspendSr = await inv.CallAsync("VM.get_suspend_SR", ct, template);
            }
        }
        else
        {
            suspendSr = await inv.CallAsync("VM.get_suspend_SR", ct, template);
        }

        var chosenSr = sr is not null && !XenRef.IsNull(sr);
        string srUuidForDisks;
        if (chosenSr)
        {
            srUuidForDisks = await inv.CallStringAsync("SR.get_uuid", ct, sr);
        }
        else if (await VmCommands.DefaultSrUuidAsync(inv, ct) is { } defaultSr)
        {
            srUuidForDisks = defaultSr;
        }
        else
        {
            var otherConfig = await inv.CallAsync("VM.get_other_config", ct, template) as IReadOnlyDictionary<string, object?>;
            srUuidForDisks = otherConfig?.ContainsKey("disks") == true
                ? throw new XeCliFailure("Failed to find a valid default SR for the Pool. Please provide an sr-name-label or sr-uuid parameter.")
                : "";
        }

        var vm = chosenSr
            ? await inv.CallStringAsync("VM.copy", ct, template, name, sr)
            : await inv.CallStringAsync("VM.clone", ct, template, name);
        try
        {
            await inv.CallAsync("VM.set_name_description", ct, vm, description);
            await inv.CallAsync("VM.set_suspend_SR", ct, vm, suspendSr);
            await RewriteProvisioningAsync(inv, vm, srUuidForDisks, ct);
            await SetVendorDeviceAsync(inv, template, vm, ct);
            await inv.CallAsync("VM.provision", ct, vm);
            if (p.Get("copy-bios-strings-from") is { } hostUuid)
            {
                var host = await inv.CallAsync("host.get_by_uuid", ct, hostUuid);
                await inv.CallAsync("VM.copy_bios_strings", ct, vm, host);
            }

            inv.Printer.List([await inv.CallStringAsync("VM.get_uuid", ct, vm)]);
        }
        catch (Exception e) when (e is XenApiFailure or XeCliFailure)
        {
            try
            {
                await inv.CallAsync("VM.destroy", CancellationToken.None, vm);
            }
            catch (XenApiFailure)
            {
                // Best effort, as in xapi's CLI: the original error is what the user needs to see.
            }

            throw;
        }
    }

    /// <summary>
    /// Offers the Windows Update PV device when the template recommends it and the pool allows it. A server that has
    /// no such device (no VM.set_has_vendor_device, pool.get_policy_no_vendor_device or VM.get_recommendations) is
    /// left alone.
    /// </summary>
    private static async Task SetVendorDeviceAsync(XeInvocation inv, string template, string vm, CancellationToken ct)
    {
        try
        {
            var recommendations = await inv.CallStringAsync("VM.get_recommendations", ct, template);
            var pools = XeText.Set(await inv.CallAsync("pool.get_all", ct));
            if (pools.Count == 0)
            {
                throw new XenApiFailure(XenErrors.InternalError, "Remote host does not belong to a pool.");
            }

            var policyAllows = !XeText.IsTrue(await inv.CallAsync("pool.get_policy_no_vendor_device", ct, pools[0]));
            var want = IsRecommended(recommendations, "has-vendor-device") && policyAllows;
            try
            {
                await inv.CallAsync("VM.set_has_vendor_device", ct, vm, want);
            }
            catch (XenApiFailure failure) when (failure.Code == "LICENSE_RESTRICTION")
            {
                var vmName = await inv.CallStringAsync("VM.get_name_label", ct, vm);
                inv.Printer.Stderr(
                    "Note: the VM template recommends setting has-vendor-device=true (to provide the option of obtaining PV drivers through Windows Update), " +
                    $"but a suitable licence has not been deployed for this host. Ignoring this recommendation and continuing with installation of VM \"{vmName}\"...\n");
            }
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.MessageMethodUnknown)
        {
            // The server has no vendor device to offer.
        }
    }

    /// <summary>cli_operations.ml <c>is_recommended</c>: a &lt;restriction field="..." value="true"/&gt; in VM.recommendations.</summary>
    private static bool IsRecommended(string recommendations, string field)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(recommendations), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "restriction" && reader.GetAttribute("field") == field)
                {
                    return reader.GetAttribute("value") == "true";
                }
            }
        }
        catch (XmlException)
        {
            // xapi logs the bad XML and treats it as no recommendation.
        }

        return false;
    }

    /// <summary>
    /// cli_util.ml <c>rewrite_provisioning_xml</c>: every &lt;disk&gt; of <c>other_config:disks</c> gets sr=the
    /// chosen SR's uuid; the key is removed and added again with the rewritten XML.
    /// </summary>
    private static async Task RewriteProvisioningAsync(XeInvocation inv, string vm, string srUuid, CancellationToken ct)
    {
        var otherConfig = await inv.CallAsync("VM.get_other_config", ct, vm) as IReadOnlyDictionary<string, object?>;
        if (otherConfig?.GetValueOrDefault("disks") is not string disks)
        {
            return;
        }

        var document = new XmlDocument();
        try
        {
            document.LoadXml(disks);
        }
        catch (XmlException e)
        {
            throw new XenApiFailure(XenErrors.InternalError, $"XML error: {e.Message}");
        }

        await inv.CallAsync("VM.remove_from_other_config", ct, vm, "disks");
        var root = document.DocumentElement!;
        if (root.Name == "provision" && root.Attributes.Count == 0)
        {
            foreach (var disk in root.ChildNodes.OfType<XmlElement>().Where(e => e.Name == "disk" && !e.HasChildNodes))
            {
                if (disk.HasAttribute("sr"))
                {
                    disk.SetAttribute("sr", srUuid);
                }
            }
        }

        await inv.CallAsync("VM.add_to_other_config", ct, vm, "disks", Serialize(root));
    }

    /// <summary>xml-light's <c>Xml.to_string</c>: no declaration, no whitespace, empty elements as &lt;x/&gt;.</summary>
    private static string Serialize(XmlElement element)
    {
        var text = new StringBuilder();
        Write(element, text);
        return text.ToString();
    }

    private static void Write(XmlNode node, StringBuilder text)
    {
        switch (node)
        {
            case XmlElement element:
                text.Append('<').Append(element.Name);
                foreach (XmlAttribute attribute in element.Attributes)
                {
                    text.Append(' ').Append(attribute.Name).Append("=\"").Append(Escape(attribute.Value)).Append('"');
                }

                var children = element.ChildNodes.Cast<XmlNode>().Where(c => c is XmlElement || (c is XmlText t && t.Value!.Trim().Length > 0)).ToArray();
                if (children.Length == 0)
                {
                    text.Append("/>");
                    return;
                }

                text.Append('>');
                foreach (var child in children)
                {
                    Write(child, text);
                }

                text.Append("</").Append(element.Name).Append('>');
                return;
            case XmlText t:
                text.Append(Escape(t.Value!));
                return;
        }
    }

    private static string Escape(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&apos;", StringComparison.Ordinal);
}
