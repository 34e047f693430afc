package io.quire.windows.mapping;

/**
 * The limits of the mapping files and their payload records, each named with its unit. The
 * relations between them are checked once, when the class loads.
 */
public final class MappingLimits {
    private MappingLimits() {}

    /** The largest record body (the encoded payload), in bytes. Every codec's largest body fits. */
    public static final int BODY_BYTES_MAX = 4096;
    /** Records appended by one {@link MappingFile#appendAll} call: one write, one fsync. */
    public static final int RECORDS_PER_APPEND_MAX = 1024;
    /** The largest single append, in bytes: a crash can tear at most this many bytes at the tail. */
    public static final int APPEND_BYTES_MAX = RECORDS_PER_APPEND_MAX * (MappingLayout.FRAME_HEADER_BYTES + BODY_BYTES_MAX);
    /** payload_id is a u32 in the slot matrix: ids are 1..PAYLOAD_ID_MAX. */
    public static final long PAYLOAD_ID_MAX = 0xFFFF_FFFFL;

    /** RfRatePayload.curve_id, in bytes of printable ASCII. */
    public static final int CURVE_ID_BYTES_MAX = 64;
    /** Tenor names ("1 Mo", "1.5 Month", "30 Yr"), in bytes of printable ASCII (spaces allowed inside). */
    public static final int TENOR_NAME_BYTES_MAX = 32;
    /** Tenors in one RfRatePayload (the Treasury CSV has 14 today). */
    public static final int TENORS_MAX = 32;
    /** An artifact reference (file or partition id) in a Trade/QuotePayload, in bytes of UTF-8. */
    public static final int ARTIFACT_BYTES_MAX = 1024;

    static {
        // The frame's length field is a u32 and the in-memory index packs the frame length in 16 bits.
        if (MappingLayout.FRAME_HEADER_BYTES + BODY_BYTES_MAX > 0xFFFF) throw new ExceptionInInitializerError("frame length must fit 16 bits");
        // Every codec's largest body must fit BODY_BYTES_MAX, or an append could be refused for size.
        int rf = RfRatePayloadCodec.BODY_BYTES_MAX;
        int art = Math.max(TradePayloadCodec.BODY_BYTES_MAX, QuotePayloadCodec.BODY_BYTES_MAX);
        int fixed = Math.max(Math.max(AggressorPayloadCodec.BODY_BYTES, GreeksPayloadCodec.BODY_BYTES), AggregatePayloadCodec.BODY_BYTES);
        if (Math.max(rf, Math.max(art, fixed)) > BODY_BYTES_MAX) throw new ExceptionInInitializerError("a codec's largest body exceeds BODY_BYTES_MAX");
        // Lengths are u8 / u16 on the wire.
        if (CURVE_ID_BYTES_MAX > 0xFF || TENOR_NAME_BYTES_MAX > 0xFF || TENORS_MAX > 0xFF || ARTIFACT_BYTES_MAX > 0xFFFF) {
            throw new ExceptionInInitializerError("a length does not fit its wire field");
        }
    }
}
