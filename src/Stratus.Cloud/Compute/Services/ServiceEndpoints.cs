using System.Globalization;
using System.Text.Json;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Services;

/// <summary>
/// /os-services (nova services.py), admin only. Rows come from <see cref="IServiceStore"/> (the conductor registers
/// the controller's services and one nova-compute per host and records heartbeats); state is derived from the
/// heartbeat's age. Ids are integers below 2.53 and UUIDs from 2.53; forced_down appears from 2.11. Below 2.53 updates
/// are PUT /os-services/{enable|disable|disable-log-reason|force-down} with host and binary in the body; from 2.53,
/// PUT /os-services/{uuid} with status, disabled_reason and forced_down.
/// </summary>
internal static class ServiceEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/os-services", ListAsync);
        group.MapPut("/os-services/{id}", UpdateAsync);
        group.MapDelete("/os-services/{id}", DeleteAsync);
    }

    public static bool UuidIds(Microversion version) => version.AtLeast(2, 53);

    private static async Task<IResult> ListAsync(HttpContext http, IServiceStore services, CloudOptions options, TimeProvider time)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-services:list");
        var version = ComputeMicroversionFilter.Of(http);
        var host = NovaQuery.Get(http.Request, "host");
        var binary = NovaQuery.Get(http.Request, "binary");
        var rows = (await services.ListAsync(http.RequestAborted))
            .Where(s => string.IsNullOrEmpty(host) || s.Host == host)
            .Where(s => string.IsNullOrEmpty(binary) || s.Binary == binary)
            .ToList();
        var now = time.GetUtcNow().UtcDateTime;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("services");
            foreach (var service in rows)
            {
                WriteService(w, service, version, now, options.ServiceDownTime);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public static void WriteService(Utf8JsonWriter w, ServiceRecord service, Microversion version, DateTime now, TimeSpan serviceDownTime)
    {
        w.WriteStartObject();
        w.WriteString("binary", service.Binary);
        w.WriteString("host", service.Host);
        if (UuidIds(version))
        {
            w.WriteString("id", service.Uuid.ToString("D"));
        }
        else
        {
            w.WriteNumber("id", service.Id);
        }

        w.WriteString("zone", service.Zone);
        w.WriteString("status", service.Disabled ? "disabled" : "enabled");
        w.WriteString("state", ServiceHealth.IsUp(service, now, serviceDownTime) ? "up" : "down");
        w.WriteStringOrNull("updated_at", service.LastSeenUp is { } seen ? OpenStackJson.Naive(seen) : null);
        w.WriteStringOrNull("disabled_reason", service.DisabledReason);
        if (version.AtLeast(2, 11))
        {
            w.WriteBoolean("forced_down", service.ForcedDown);
        }

        w.WriteEndObject();
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, IServiceStore services, CloudOptions options, TimeProvider time)
    {
        var version = ComputeMicroversionFilter.Of(http);
        if (UuidIds(version))
        {
            if (!NovaSchema.IsUuidLike(id))
            {
                throw ApiException.BadRequest($"Invalid uuid {id}");
            }

            ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-services:update");
            return await UpdateByUuidAsync(http, Guid.Parse(id), services, options, time);
        }

        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-services:update");
        return await UpdateByActionAsync(http, id, services, version);
    }

    private static async Task<IResult> UpdateByActionAsync(HttpContext http, string action, IServiceStore services, Microversion version)
    {
        string[] actions = version.AtLeast(2, 11) ? ["enable", "disable", "disable-log-reason", "force-down"] : ["enable", "disable", "disable-log-reason"];
        if (!actions.Contains(action))
        {
            throw ApiException.NotFound("Unknown action");
        }

        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        List<string> allowed = ["host", "binary", "disabled_reason"];
        if (version.AtLeast(2, 11))
        {
            allowed.Add("forced_down");
        }

        var extras = body.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        if (!body.ContainsKey("host") || !body.ContainsKey("binary"))
        {
            throw ApiException.BadRequest($"{PyRepr.Quote(body.ContainsKey("host") ? "binary" : "host")} is a required property");
        }

        if (extras.Count > 0)
        {
            throw ApiException.BadRequest(NovaSchema.AdditionalMessage(extras));
        }

        var host = NovaSchema.String(body["host"], "host", 1, 255);
        var binary = NovaSchema.String(body["binary"], "binary", 1, 255);
        var reason = body.ContainsKey("disabled_reason") ? NovaSchema.String(body["disabled_reason"], "disabled_reason", 1, 255) : null;
        bool? forcedDown = body.ContainsKey("forced_down") ? NovaSchema.Boolean(body["forced_down"], "forced_down") : null;
        if (action == "disable-log-reason" && reason is null)
        {
            throw ApiException.BadRequest("Missing disabled reason field");
        }

        if (action == "force-down" && forcedDown is null)
        {
            throw ApiException.BadRequest("Missing forced_down field");
        }

        if (binary != "nova-compute")
        {
            throw ApiException.BadRequest($"Updating a {binary} service is not supported. Only nova-compute services can be updated.");
        }

        var service = await services.FindAsync(binary, host, http.RequestAborted)
            ?? throw ApiException.NotFound($"Could not find binary {binary} on host {host}.", "HostBinaryNotFound");
        Func<ServiceRecord, ServiceRecord> change = action switch
        {
            "enable" => s => s with { Disabled = false, DisabledReason = null },
            "disable" => s => s with { Disabled = true, DisabledReason = null },
            "disable-log-reason" => s => s with { Disabled = true, DisabledReason = reason },
            _ => s => s with { ForcedDown = forcedDown!.Value },
        };
        _ = await services.UpdateAsync(service.Id, change, http.RequestAborted) ?? throw ApiException.NotFound($"Could not find binary {binary} on host {host}.");
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("service");
            w.WriteString("host", host);
            w.WriteString("binary", binary);
            if (action == "force-down")
            {
                w.WriteBoolean("forced_down", forcedDown!.Value);
            }
            else
            {
                w.WriteString("status", action == "enable" ? "enabled" : "disabled");
                if (action == "disable-log-reason")
                {
                    w.WriteString("disabled_reason", reason);
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> UpdateByUuidAsync(HttpContext http, Guid uuid, IServiceStore services, CloudOptions options, TimeProvider time)
    {
        var version = ComputeMicroversionFilter.Of(http);
        var service = await services.FindAsync(uuid, http.RequestAborted) ?? throw ApiException.NotFound($"Service {uuid:D} could not be found.", "ServiceNotFound");
        if (service.Binary != "nova-compute")
        {
            throw ApiException.BadRequest($"Updating a {service.Binary} service is not supported. Only nova-compute services can be updated.");
        }

        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        var extras = body.Select(p => p.Key).Where(k => k is not ("status" or "disabled_reason" or "forced_down")).ToList();
        if (extras.Count > 0)
        {
            throw ApiException.BadRequest(NovaSchema.AdditionalMessage(extras));
        }

        var status = body.ContainsKey("status") ? NovaSchema.Enum(body["status"], "status", "enabled", "disabled") : null;
        var reason = body.ContainsKey("disabled_reason") ? NovaSchema.String(body["disabled_reason"], "disabled_reason", 1, 255) : null;
        bool? forcedDown = body.ContainsKey("forced_down") ? NovaSchema.Boolean(body["forced_down"], "forced_down") : null;
        if (status == "enabled" && reason is not null)
        {
            throw ApiException.BadRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
        }

        if (status is null && forcedDown is null)
        {
            throw ApiException.BadRequest("No updates were requested. Fields 'status' or 'forced_down' should be specified.");
        }

        var updated = await services.UpdateAsync(service.Id, s =>
        {
            var next = s;
            if (status is not null)
            {
                next = next with { Disabled = status == "disabled", DisabledReason = status == "disabled" ? reason : null };
            }

            return forcedDown is { } down ? next with { ForcedDown = down } : next;
        }, http.RequestAborted) ?? throw ApiException.NotFound($"Service {uuid:D} could not be found.", "ServiceNotFound");
        var now = time.GetUtcNow().UtcDateTime;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("service");
            WriteService(w, updated, version.AtLeast(2, 11) ? version : new Microversion(2, 11), now, options.ServiceDownTime);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, IServiceStore services, IInstanceStore instances)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-services:delete");
        var version = ComputeMicroversionFilter.Of(http);
        ServiceRecord? service;
        if (UuidIds(version))
        {
            if (!NovaSchema.IsUuidLike(id))
            {
                throw ApiException.BadRequest($"Invalid uuid {id}");
            }

            service = await services.FindAsync(Guid.Parse(id), http.RequestAborted);
        }
        else
        {
            if (!long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                throw ApiException.BadRequest("Invalid input received: id must be an integer");
            }

            service = await services.FindAsync(number, http.RequestAborted);
        }

        if (service is null)
        {
            throw ApiException.NotFound($"Service {id} not found.", "ServiceNotFound");
        }

        if (service.IsCompute && (await instances.ListOnHostAsync(service.Host, http.RequestAborted)).Count > 0)
        {
            throw ApiException.Conflict("Unable to delete compute service that is hosting instances. Migrate or delete the instances first.");
        }

        await services.DeleteAsync(service.Id, http.RequestAborted);
        return NovaResult.Empty(204);
    }
}
