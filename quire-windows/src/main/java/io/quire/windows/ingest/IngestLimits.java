package io.quire.windows.ingest;

/** Every bound of the flat-file reader, named with its unit. */
public final class IngestLimits {
    private IngestLimits() {}

    /** Bytes of one CSV record; a longer record is a malformed row (its bytes are skipped, not kept). */
    public static final int RECORD_BYTES_MAX = 65_536;
    /** Fields of one record (Polygon has at most 14); more is a malformed row, more in the header is fatal. */
    public static final int FIELDS_MAX = 64;
    /** Problem samples kept per file; every problem is counted in {@code malformedTotal}. */
    public static final int PROBLEM_SAMPLES_MAX = 100;
    /** Entries of a {@code conditions} / {@code indicators} list. */
    public static final int LIST_ENTRIES_MAX = 32;
    /** Bytes of a ticker (the symbol map's limit). */
    public static final int TICKER_BYTES_MAX = 64;
    /** Bytes of a trade {@code id}. */
    public static final int TRADE_ID_BYTES_MAX = 64;
    /** Rows of one (symbol, minute) group held in memory before it is handed to the sink (SPY quotes peak near 100k per minute). */
    public static final int GROUP_ROWS_MAX = 2_000_000;
    /** Bytes of gzip input read per refill. */
    public static final int READ_BUFFER_BYTES = 65_536;

    static {
        if (PROBLEM_SAMPLES_MAX < 1 || FIELDS_MAX < 14 || LIST_ENTRIES_MAX < 1) throw new ExceptionInInitializerError("ingest limits too small for Polygon files");
    }
}
