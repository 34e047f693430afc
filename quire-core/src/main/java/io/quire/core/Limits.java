package io.quire.core;

/**
 * Every limit of the core, named with its unit last. Each has a boundary test at {@code max} and
 * {@code max + 1} ({@code LimitsTest}). Configurable ones are defaults for {@link LedgerOptions}.
 */
public final class Limits {
    private Limits() {}

    /** Largest payload of one entry. */
    public static final int PAYLOAD_BYTES_MAX = 4 * 1024 * 1024;
    /** Stream names are 1..255 bytes of UTF-8 with no NUL. */
    public static final int STREAM_NAME_BYTES_MAX = 255;
    /** Entry ids (idempotency keys) are 1..128 bytes of UTF-8. */
    public static final int ID_BYTES_MAX = 128;
    /** Entry keys (filter labels) are 0..255 bytes of UTF-8. */
    public static final int KEY_BYTES_MAX = 255;
    /** At most 64 metadata entries per entry. */
    public static final int METADATA_ENTRIES_MAX = 64;
    /** Sum of UTF-8 bytes of all metadata keys and values of one entry. */
    public static final int METADATA_BYTES_MAX = 64 * 1024;

    /** Default maximum size of one log segment file. */
    public static final long SEGMENT_BYTES_DEFAULT = 64L * 1024 * 1024;
    /**
     * Smallest allowed segment size: one maximal entry frame plus its commit frame must fit in a
     * fresh segment, or an append of a maximal entry could never be written.
     */
    public static final long SEGMENT_BYTES_MIN = 8L * 1024 * 1024;
    /** Largest allowed segment size (offsets inside a segment are stored as u32 in the index). */
    public static final long SEGMENT_BYTES_MAX = 1L << 31;

    /** Default number of concurrent watchers on one stream. */
    public static final int WATCHERS_PER_STREAM_DEFAULT = 1024;
    /** Largest number of entries in one {@code appendBatch} call. */
    public static final int BATCH_ENTRIES_MAX = 100_000;
    /** Largest number of streams in one ledger (stream ids are u32 on disk). */
    public static final int STREAMS_MAX = Integer.MAX_VALUE;
    /** Largest page a single read returns. */
    public static final int READ_LIMIT_MAX = 100_000;

    static {
        // The worst-case entry frame is the payload, the bounded fields and the fixed header;
        // with its stream frame and one commit frame it must fit in a fresh smallest segment, or
        // an append of a maximal entry could never be written.
        long worstFrame = (long) PAYLOAD_BYTES_MAX + 2L * STREAM_NAME_BYTES_MAX + ID_BYTES_MAX
                + KEY_BYTES_MAX + METADATA_BYTES_MAX + 8L * METADATA_ENTRIES_MAX + 4096;
        if (worstFrame > SEGMENT_BYTES_MIN) {
            throw new ExceptionInInitializerError("bad limits: SEGMENT_BYTES_MIN too small for worst frame " + worstFrame);
        }
        if (SEGMENT_BYTES_DEFAULT < SEGMENT_BYTES_MIN || SEGMENT_BYTES_DEFAULT > SEGMENT_BYTES_MAX) {
            throw new ExceptionInInitializerError("bad limits: SEGMENT_BYTES_DEFAULT out of range");
        }
    }
}
