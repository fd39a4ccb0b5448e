using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network.Api;

/// <summary>
/// Neutron's faults (neutron-lib exceptions): the <c>type</c> of <c>{"NeutronError": {...}}</c> is the exception's
/// class name and the message its text, which OSC prints.
/// </summary>
internal static class NeutronErrors
{
    public static ApiException NetworkNotFound(string id) => new(404, $"Network {id} could not be found.", "NetworkNotFound");

    public static ApiException SubnetNotFound(string id) => new(404, $"Subnet {id} could not be found.", "SubnetNotFound");

    public static ApiException PortNotFound(string id) => new(404, $"Port {id} could not be found.", "PortNotFound");

    public static ApiException FloatingIpNotFound(string id) => new(404, $"Floating IP {id} could not be found", "FloatingIPNotFound");

    public static ApiException SecurityGroupNotFound(string id) => new(404, $"Security group {id} does not exist", "SecurityGroupNotFound");

    public static ApiException SecurityGroupRuleNotFound(string id) => new(404, $"Security group rule {id} does not exist", "SecurityGroupRuleNotFound");

    public static ApiException RouterNotFound(string id) => new(404, $"Router {id} could not be found", "RouterNotFound");

    public static ApiException BadRequest(string type, string message) => new(400, message, type);

    /// <summary>neutron-lib InvalidInput: <c>Invalid input for operation: ….</c></summary>
    public static ApiException InvalidInput(string message) => new(400, $"Invalid input for operation: {message}.", "InvalidInput");

    /// <summary>The API layer's attribute check (neutron api/v2/base.py): <c>Invalid input for name. Reason: ….</c></summary>
    public static ApiException InvalidAttribute(string attribute, string reason) => new(400, $"Invalid input for {attribute}. Reason: {reason}.", "HTTPBadRequest");

    public static ApiException Conflict(string type, string message) => new(409, message, type);

    public static ApiException PolicyNotAuthorized(string action) => new(403, $"rule:{action} is disallowed by policy", "PolicyNotAuthorized");
}
