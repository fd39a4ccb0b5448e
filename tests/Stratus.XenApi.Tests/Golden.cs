using System.Buffers;
using System.Text;

namespace Stratus.XenApi.Tests;

/// <summary>
/// The golden files under Golden/: wire forms written by hand from the XenAPI contract and xapi's marshallers
/// (ocaml-rpc xmlrpc.ml/jsonrpc.ml), not captured from our own output.
/// </summary>
internal static class Golden
{
    public static string Text(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)).TrimEnd('\n');

    public static byte[] Bytes(string name) => Encoding.UTF8.GetBytes(Text(name));

    public static Stream Stream(string name) => new MemoryStream(Bytes(name));

    public static string Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
