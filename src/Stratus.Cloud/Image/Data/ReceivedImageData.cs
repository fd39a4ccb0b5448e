namespace Stratus.Cloud.Image.Data;

/// <summary>Image data received into a temporary file, with what glance records about it.</summary>
internal sealed record ReceivedImageData(string TempPath, long Size, string Md5, string Sha512, byte[] Header);
