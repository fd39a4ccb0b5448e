using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Stratus.Cloud.Tests.Support;

namespace Stratus.Cloud.Tests.Image;

/// <summary>Image bodies and data for tests: a qcow2 header with a chosen virtual size followed by filler bytes.</summary>
internal static class TestImages
{
    public static byte[] Qcow2(long virtualSize, int length = 256 * 1024)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        data[0] = (byte)'Q';
        data[1] = (byte)'F';
        data[2] = (byte)'I';
        data[3] = 0xfb;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), 3);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(24), (ulong)virtualSize);
        return data;
    }

    /// <summary>Glance's checksum: the md5 of the data, hex.</summary>
    public static string Md5Hex(byte[] data)
    {
        using var md5 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
        md5.AppendData(data);
        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    public static async Task<string> CreateAsync(ApiHarness api, string token, JsonObject body, CancellationToken cancellationToken)
    {
        var reply = await api.PostAsync("/image/v2/images", token, body, cancellationToken);
        Assert.True(reply.Status == 201, reply.ToString());
        return reply.Object["id"]!.GetValue<string>();
    }

    public static Task<string> CreateAsync(ApiHarness api, string token, string name, string visibility, CancellationToken cancellationToken) =>
        CreateAsync(api, token, new JsonObject { ["name"] = name, ["visibility"] = visibility, ["disk_format"] = "qcow2", ["container_format"] = "bare" }, cancellationToken);
}
