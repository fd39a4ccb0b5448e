using System.Runtime.Versioning;

// The host agent's tests run real Linux tools (qemu-img, ganesha, lvm2, mount): they are Linux-only by nature.
[assembly: SupportedOSPlatform("linux")]
