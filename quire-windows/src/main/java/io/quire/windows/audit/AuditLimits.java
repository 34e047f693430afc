package io.quire.windows.audit;

/** Limits of the audit spool and stream (docs/WINDOWS.md "Audit"). */
public final class AuditLimits {
    private AuditLimits() {}

    /** The core stream every audit event ends up in. */
    public static final String STREAM = "windows/audit";
    /** Bytes of an event type ({@code clear}, {@code region_add}, ...). */
    public static final int TYPE_BYTES_MAX = 32;
    /** Bytes of an operator identity. */
    public static final int OPERATOR_BYTES_MAX = 128;
    /** Bytes of one JSON payload (far below the core's 4 MiB entry limit). */
    public static final int PAYLOAD_BYTES_MAX = 16 * 1024;
    /** Bytes of one spool frame: 8-byte header, type length byte, type, operator length (u16), operator, payload. */
    public static final int FRAME_BYTES_MAX = 8 + 1 + TYPE_BYTES_MAX + 2 + OPERATOR_BYTES_MAX + PAYLOAD_BYTES_MAX;
    /** Records appended to the core log per batch when draining a spool. */
    public static final int DRAIN_BATCH_MAX = 256;
    /** Bytes of a spool file before its owner rotates to a new one. */
    public static final long SPOOL_BYTES_MAX = 64L * 1024 * 1024;
}
