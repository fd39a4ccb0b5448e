using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Stratus.Cli.Up;

/// <summary>
/// Reads <c>stratus up --config FILE</c>: a JSON object, or DevStack's localrc (<c>KEY=VALUE</c> lines, the file the
/// seed wrote), so a user with a XenServer pool attaches it with that same file. Every key is either used, reported
/// as not needed (with why), or reported as unknown; a wrong value names the key and what is expected.
/// </summary>
internal static class ConfigFile
{
    // localrc keys Stratus has no use for, with the reason it gives the user.
    private static readonly Dictionary<string, string> NotNeeded = new(StringComparer.Ordinal)
    {
        ["DATABASE_PASSWORD"] = "Stratus embeds its database (SQLite) and needs no database password",
        ["SERVICE_TOKEN"] = "Stratus's services share one process and need no service token",
        ["SERVICE_PASSWORD"] = "Stratus's services need no service user",
        ["RABBIT_PASSWORD"] = "Stratus has no message bus",
        ["SWIFT_HASH"] = "Stratus has no object store",
        ["GUEST_PASSWORD"] = "Stratus runs no DevStack VM (DevStackOSDomU) to log into",
        ["GIT_BASE"] = "Stratus is one program; nothing is cloned",
        ["VNCSERVER_PROXYCLIENT_ADDRESS"] = "consoles are reached through the host agent, not a VNC proxy",
        ["MULTI_HOST"] = "every compute host is managed directly; there is no nova-network to make highly available",
        ["ACTIVE_TIMEOUT"] = "builds report their progress and failures themselves; there is no boot timeout to tune",
        ["SCREEN_LOGDIR"] = "logs are in one place: stratus logs",
        ["LOGFILE"] = "logs are in one place: stratus logs",
    };

    public static ConfigResult Read(string path, UpSettings defaults)
    {
        var text = File.ReadAllText(path);
        var pairs = text.TrimStart().StartsWith('{') ? ReadJson(text, path) : ReadLocalrc(text);
        return Apply(pairs, defaults);
    }

    public static ConfigResult Apply(IReadOnlyList<(string Key, string Value)> pairs, UpSettings settings)
    {
        var notes = new List<string>();
        var errors = new List<string>();
        string? xenUrl = null, xenUser = null, xenPassword = null;
        foreach (var (key, value) in pairs)
        {
            switch (key)
            {
                case "ADMIN_PASSWORD" or "AdminPassword":
                    settings = settings with { AdminPassword = value };
                    break;
                case "XENAPI_CONNECTION_URL" or "XenApiConnectionUrl":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    {
                        errors.Add($"{key}: '{value}' is not an http(s) URL such as http://xenserver.example or http://192.0.2.10");
                    }
                    else
                    {
                        xenUrl = value;
                    }

                    break;
                case "XENAPI_USER" or "XenApiUser":
                    xenUser = value;
                    break;
                case "XENAPI_PASSWORD" or "XenApiPassword":
                    xenPassword = value;
                    break;
                case "VIRT_DRIVER" or "VirtDriver":
                    if (value is not ("xenserver" or "xenapi"))
                    {
                        errors.Add($"{key}: '{value}' is not supported; Stratus drives hosts through the XenAPI, so the value is xenserver");
                    }

                    break;
                case "HOST_IP" or "SERVICE_HOST":
                    if (!IPAddress.TryParse(value, out _))
                    {
                        errors.Add($"{key}: '{value}' is not an IP address");
                    }
                    else
                    {
                        settings = settings with { Listen = $"{value}:{settings.ListenEndPoint.Port}" };
                    }

                    break;
                case "Listen":
                    if (!IPEndPoint.TryParse(value, out _))
                    {
                        errors.Add($"{key}: '{value}' is not an address:port such as 127.0.0.1:8800");
                    }
                    else
                    {
                        settings = settings with { Listen = value };
                    }

                    break;
                case "Backend":
                    if (value is not ("qemu" or "sim"))
                    {
                        errors.Add($"{key}: '{value}' is not one of qemu, sim");
                    }
                    else
                    {
                        settings = settings with { Backend = value };
                    }

                    break;
                case "FIXED_RANGE" or "FixedRange":
                    settings = Cidr(key, value, errors) ? settings with { FixedRange = value } : settings;
                    break;
                case "FLOATING_RANGE" or "FloatingRange":
                    settings = Cidr(key, value, errors) ? settings with { FloatingRange = value } : settings;
                    break;
                default:
                    notes.Add(NotNeeded.TryGetValue(key, out var why)
                        ? $"{key}: not needed ({why})"
                        : $"{key}: unknown to Stratus, ignored");
                    break;
            }
        }

        if (xenUrl is not null)
        {
            if (string.IsNullOrEmpty(xenPassword))
            {
                errors.Add("XENAPI_PASSWORD: required with XENAPI_CONNECTION_URL (the host's root password)");
            }
            else
            {
                settings = settings with { ExternalHost = new ExternalHost(xenUrl, xenUser ?? "root", xenPassword) };
            }
        }
        else if (xenUser is not null || xenPassword is not null)
        {
            notes.Add("XENAPI_USER/XENAPI_PASSWORD: not used without XENAPI_CONNECTION_URL (the embedded host agent is used)");
        }

        return new ConfigResult(settings, notes, errors);
    }

    /// <summary>localrc lines: <c>KEY=VALUE</c>, optional <c>export</c>, quotes, comments and blank lines.</summary>
    internal static List<(string Key, string Value)> ReadLocalrc(string text)
    {
        var pairs = new List<(string, string)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !line[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                // Not an assignment (the seed's localrc sits inside a here-document: "cat > ./localrc <<EOF").
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            pairs.Add((line[..equals], value));
        }

        return pairs;
    }

    private static List<(string Key, string Value)> ReadJson(string text, string path)
    {
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: the JSON config must be an object of settings");
        }

        return document.RootElement.EnumerateObject()
            .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
            .ToList();
    }

    private static bool Cidr(string key, string value, List<string> errors)
    {
        var parts = value.Split('/');
        if (parts.Length == 2 && IPAddress.TryParse(parts[0], out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix is >= 8 and <= 30)
        {
            return true;
        }

        errors.Add($"{key}: '{value}' is not an IPv4 CIDR with a prefix between /8 and /30, such as 10.0.0.0/24");
        return false;
    }
}
