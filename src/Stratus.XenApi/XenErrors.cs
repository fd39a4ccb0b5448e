namespace Stratus.XenApi;

/// <summary>The XenAPI error codes Stratus raises or branches on (ocaml/idl/datamodel_errors.ml).</summary>
public static class XenErrors
{
    public const string SessionAuthenticationFailed = "SESSION_AUTHENTICATION_FAILED";
    public const string SessionInvalid = "SESSION_INVALID";
    public const string SessionNotRegistered = "SESSION_NOT_REGISTERED";
    public const string HostIsSlave = "HOST_IS_SLAVE";
    public const string HandleInvalid = "HANDLE_INVALID";
    public const string UuidInvalid = "UUID_INVALID";
    public const string MessageMethodUnknown = "MESSAGE_METHOD_UNKNOWN";
    public const string MessageParameterCountMismatch = "MESSAGE_PARAMETER_COUNT_MISMATCH";
    public const string MessageRemoved = "MESSAGE_REMOVED";
    public const string XmlRpcUnmarshalFailure = "XMLRPC_UNMARSHAL_FAILURE";
    public const string FieldTypeError = "FIELD_TYPE_ERROR";
    public const string InvalidValue = "INVALID_VALUE";
    public const string ValueNotSupported = "VALUE_NOT_SUPPORTED";
    public const string MapDuplicateKey = "MAP_DUPLICATE_KEY";
    public const string InternalError = "INTERNAL_ERROR";
    public const string NotImplemented = "NOT_IMPLEMENTED";
    public const string OperationNotAllowed = "OPERATION_NOT_ALLOWED";
    public const string OtherOperationInProgress = "OTHER_OPERATION_IN_PROGRESS";
    public const string PermissionDenied = "PERMISSION_DENIED";

    public const string VmBadPowerState = "VM_BAD_POWER_STATE";
    public const string VmIsTemplate = "VM_IS_TEMPLATE";
    public const string VmFailedShutdownAck = "VM_FAILED_SHUTDOWN_ACKNOWLEDGMENT";
    public const string MemoryConstraintViolation = "MEMORY_CONSTRAINT_VIOLATION";
    public const string MemoryConstraintViolationOrder = "MEMORY_CONSTRAINT_VIOLATION_ORDER";
    public const string MemoryConstraintViolationMaxpin = "MEMORY_CONSTRAINT_VIOLATION_MAXPIN";
    public const string HostNotEnoughFreeMemory = "HOST_NOT_ENOUGH_FREE_MEMORY";
    public const string HostNotEnoughPcpus = "HOST_NOT_ENOUGH_PCPUS";
    public const string HostDisabled = "HOST_DISABLED";

    public const string DeviceAlreadyAttached = "DEVICE_ALREADY_ATTACHED";
    public const string DeviceAlreadyDetached = "DEVICE_ALREADY_DETACHED";
    public const string DeviceAlreadyExists = "DEVICE_ALREADY_EXISTS";
    public const string DeviceDetachRejected = "DEVICE_DETACH_REJECTED";
    public const string VbdNotEmpty = "VBD_NOT_EMPTY";
    public const string VbdIsEmpty = "VBD_IS_EMPTY";
    public const string VbdNotRemovableMedia = "VBD_NOT_REMOVABLE_MEDIA";
    public const string VdiInUse = "VDI_IN_USE";
    public const string VdiReadOnly = "VDI_READONLY";
    public const string VdiMissing = "VDI_MISSING";
    public const string VdiIncompatibleType = "VDI_INCOMPATIBLE_TYPE";
    public const string VdiNotAvailable = "VDI_NOT_AVAILABLE";
    public const string SrHasPbd = "SR_HAS_PBD";
    public const string SrNotEmpty = "SR_NOT_EMPTY";
    public const string SrFull = "SR_FULL";
    public const string SrUnknownDriver = "SR_UNKNOWN_DRIVER";
    public const string SrOperationNotSupported = "SR_OPERATION_NOT_SUPPORTED";
    /// <summary>Api_errors.sr_no_pbds: the code string really is SR_HAS_NO_PBDS.</summary>
    public const string SrNoPbds = "SR_HAS_NO_PBDS";
    public const string SrRequiresUpgrade = "SR_REQUIRES_UPGRADE";
    public const string PbdExists = "PBD_EXISTS";
    public const string SrNotAttached = "SR_NOT_ATTACHED";
    public const string VdiTooSmall = "VDI_TOO_SMALL";
    public const string ImportErrorGeneric = "IMPORT_ERROR_GENERIC";
    public const string ImportErrorPrematureEof = "IMPORT_ERROR_PREMATURE_EOF";

    public const string NetworkContainsVif = "NETWORK_CONTAINS_VIF";
    public const string NetworkContainsPif = "NETWORK_CONTAINS_PIF";
    public const string MacInvalid = "MAC_INVALID";

    public const string EventsLost = "EVENTS_LOST";
    public const string EventFromTokenParseFailure = "EVENT_FROM_TOKEN_PARSE_FAILURE";
    public const string EventSubscriptionParseFailure = "EVENT_SUBSCRIPTION_PARSE_FAILURE";
    public const string TaskCancelled = "TASK_CANCELLED";

    public const string XenApiMissingPlugin = "XENAPI_MISSING_PLUGIN";

    /// <summary>Storage-manager failures carry the SM error number: <c>SR_BACKEND_FAILURE_&lt;n&gt; ["", message, stderr]</c>.</summary>
    public static string SrBackendFailure(int smCode) => $"SR_BACKEND_FAILURE_{smCode}";
}
