namespace Stratus.Cloud;

/// <summary>
/// A problem found while starting that the operator must fix (its message names the setting), as opposed to a bug:
/// <c>stratus cloud serve</c> prints the message alone and exits with the usage code.
/// </summary>
public sealed class CloudStartupException(string message) : Exception(message);
