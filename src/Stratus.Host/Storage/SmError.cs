using Stratus.XenApi;

namespace Stratus.Host.Storage;

/// <summary>
/// A storage-manager error from xapi's catalogue (xapi-project/sm <c>XE_SR_ERRORCODES.xml</c>). It travels as
/// <c>SR_BACKEND_FAILURE_&lt;code&gt; ["", description [opterr=…], stderr]</c>, the shape xapi's sm_exec gives it, so
/// clients that branch on the number (nova retries SR.scan on 40) keep working.
/// </summary>
internal sealed record SmError(int Code, string Description)
{
    public static readonly SmError InvalidDev = new(19, "No such device");
    public static readonly SmError SrNotEmpty = new(39, "The SR is not empty");
    public static readonly SmError SrScan = new(40, "The SR scan failed ");
    public static readonly SmError SrExists = new(42, "The SR already exists");
    public static readonly SmError VdiExists = new(43, "The VDI already exists");
    public static readonly SmError VdiUnavailable = new(46, "The VDI is not available");
    public static readonly SmError SrUnavailable = new(47, "The SR is not available");
    public static readonly SmError LvmCreate = new(50, "Logical Volume creation error");
    public static readonly SmError LvmDelete = new(51, "Logical Volume deletion error");
    public static readonly SmError LvmMount = new(52, "Logical Volume mount/activate error");
    public static readonly SmError LvmWrite = new(54, "Logical Volume write error");
    public static readonly SmError LvmResize = new(59, "Logical Volume resize failed");
    public static readonly SmError FileSrCreate = new(61, "File SR creation error");
    public static readonly SmError FileSrRmDir = new(62, "File SR failed to remove directory");
    public static readonly SmError NfsVersion = new(72, "Required NFS server version unsupported");
    public static readonly SmError NfsMount = new(73, "NFS mount error");
    public static readonly SmError VdiCreate = new(78, "VDI Creation failed");
    public static readonly SmError VdiSize = new(79, "VDI Invalid size");
    public static readonly SmError VdiDelete = new(80, "Failed to mark VDI hidden");
    public static readonly SmError VdiClone = new(81, "Failed to clone VDI");
    public static readonly SmError VdiSnapshot = new(82, "Failed to snapshot VDI");
    public static readonly SmError NfsCreate = new(88, "NFS SR creation error");
    public static readonly SmError ConfigDeviceMissing = new(90, "The request is missing the device parameter");
    public static readonly SmError ConfigLocationMissing = new(94, "The request is missing the location parameter");
    public static readonly SmError ConfigServerPathMissing = new(101, "The request is missing the serverpath parameter");
    public static readonly SmError ConfigServerMissing = new(102, "The request is missing the server parameter");
    public static readonly SmError NfsTarget = new(108, "Unable to detect an NFS service on this target.");
    public static readonly SmError VdiResize = new(110, "VDI resize failed");
    public static readonly SmError SmGeneral = new(202, "General backend error");
    public static readonly SmError IsoLocalPath = new(226, "Invalid local path");
    public static readonly SmError SharedFileSystemNoWrite = new(461, "The file system for SR cannot be written to.");

    /// <summary>The failure to throw: <c>SR_BACKEND_FAILURE_&lt;n&gt; ["", message, stderr]</c>.</summary>
    public XenApiFailure Failure(string? opterr = null, string? stderr = null) =>
        new(XenErrors.SrBackendFailure(Code), "", opterr is null ? Description : $"{Description} [opterr={opterr}]", stderr ?? "");
}
