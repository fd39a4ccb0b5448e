namespace Stratus.Cli.Up;

/// <summary>A XenAPI host given in the config, with its root credentials.</summary>
internal sealed record ExternalHost(string Url, string User, string Password);
