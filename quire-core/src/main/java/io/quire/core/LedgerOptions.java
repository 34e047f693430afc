package io.quire.core;

/** Options for opening a ledger. {@link #defaults()} is what {@code quire} uses without flags. */
public record LedgerOptions(Durability durability, long segmentBytes, int watchersPerStream, boolean readOnly) {
    public LedgerOptions {
        if (durability == null) durability = Durability.SYNC;
        if (segmentBytes < Limits.SEGMENT_BYTES_MIN || segmentBytes > Limits.SEGMENT_BYTES_MAX) {
            throw QuireException.invalid("segment size must be " + Limits.SEGMENT_BYTES_MIN + ".." + Limits.SEGMENT_BYTES_MAX
                    + " bytes (SEGMENT_BYTES_MIN..SEGMENT_BYTES_MAX), got " + segmentBytes);
        }
        if (watchersPerStream < 1) throw QuireException.invalid("watchers per stream must be at least 1, got " + watchersPerStream);
    }

    public static LedgerOptions defaults() {
        return new LedgerOptions(Durability.SYNC, Limits.SEGMENT_BYTES_DEFAULT, Limits.WATCHERS_PER_STREAM_DEFAULT, false);
    }

    public LedgerOptions withDurability(Durability d) { return new LedgerOptions(d, segmentBytes, watchersPerStream, readOnly); }

    public LedgerOptions withSegmentBytes(long b) { return new LedgerOptions(durability, b, watchersPerStream, readOnly); }

    public LedgerOptions withWatchersPerStream(int w) { return new LedgerOptions(durability, segmentBytes, w, readOnly); }

    public LedgerOptions withReadOnly(boolean r) { return new LedgerOptions(durability, segmentBytes, watchersPerStream, r); }
}
