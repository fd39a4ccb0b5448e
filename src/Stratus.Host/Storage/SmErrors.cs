using Stratus.XenApi;

namespace Stratus.Host.Storage;

/// <summary>
/// Storage-manager failures in xapi's shape, <c>SR_BACKEND_FAILURE_&lt;n&gt; ["", description, detail]</c>, with the
/// numbers and descriptions of xapi-project/sm's XE_SR_ERRORCODES.xml that clients (nova, XenCenter) know.
/// </summary>
internal static class SmErrors
{
    public static XenApiFailure SrScan(string detail) => Fail(40, "The SR scan failed ", detail);

    public static XenApiFailure SrNoSpace(string detail) => Fail(44, "There is insufficient space", detail);

    public static XenApiFailure VdiUnavailable(string detail) => Fail(46, "The VDI is not available", detail);

    public static XenApiFailure SrUnavailable(string detail) => Fail(47, "The SR is not available", detail);

    public static XenApiFailure FileSrCreate(string detail) => Fail(61, "File SR creation error", detail);

    public static XenApiFailure NfsMount(string detail) => Fail(73, "NFS mount error", detail);

    public static XenApiFailure LvmGroupCreate(string detail) => Fail(77, "Logical Volume group creation failed", detail);

    public static XenApiFailure VdiCreate(string detail) => Fail(78, "VDI Creation failed", detail);

    public static XenApiFailure VdiSize(string detail) => Fail(79, "VDI Invalid size", detail);

    public static XenApiFailure NfsCreate(string detail) => Fail(88, "NFS SR creation error", detail);

    public static XenApiFailure ConfigDeviceMissing() => Fail(90, "The request is missing the device parameter", "");

    public static XenApiFailure ConfigServerMissing() => Fail(100, "The request is missing the server parameter", "");

    public static XenApiFailure ConfigServerPathMissing() => Fail(101, "The request is missing the serverpath parameter", "");

    public static XenApiFailure NfsTarget(string detail) => Fail(108, "Unable to detect an NFS service on this target.", detail);

    public static XenApiFailure IsoLocationMissing() => Fail(220, "'Location' parameter must be specified in Device Configuration", "");

    public static XenApiFailure Fail(int code, string description, string detail) =>
        new(XenErrors.SrBackendFailure(code), "", description, detail);
}
