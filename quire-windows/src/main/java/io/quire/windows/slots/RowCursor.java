package io.quire.windows.slots;

/**
 * A reusable, allocation-free view of one row during iteration. Every slot was read with the
 * seqlock protocol, so each slot is consistent on its own; the row as a whole is not one atomic
 * snapshot (another writer may change one column between two columns' reads).
 */
public final class RowCursor {
    private final LedgerKind kind;
    /** The cursor's own row buffer, used by point reads and zero rows. */
    final long[] own;
    /**
     * Per slot k: raw[origin+4k] word, [+1] A, [+2] B, [+3] C (see {@link SlotLayout}). Either
     * {@link #own} with origin 0, or a chunk buffer of a bulk scan with the row's origin in it.
     */
    long[] raw;
    int origin;
    private int symbolId;
    private int minuteIdx;

    RowCursor(LedgerKind kind) {
        this.kind = kind;
        this.own = new long[4 * kind.slotsPerRow()];
        this.raw = own;
    }

    /** Views the row at {@code origin} of a scan's chunk buffer. */
    void point(long[] buffer, int origin) {
        this.raw = buffer;
        this.origin = origin;
    }

    /** Views the cursor's own buffer (filled by the caller). */
    long[] reset() {
        raw = own;
        origin = 0;
        return own;
    }

    void at(int sym, int min) {
        symbolId = sym;
        minuteIdx = min;
    }

    public LedgerKind ledger() { return kind; }

    public int symbolId() { return symbolId; }

    public int minuteIdx() { return minuteIdx; }

    private int base(SlotKind slot) {
        if (slot.ledger() != kind) throw new IllegalArgumentException(slot.column() + " is not a " + kind.fileName() + " column");
        return origin + slot.index() * 4;
    }

    public SlotStatus status(SlotKind slot) { return SlotStatus.ofCode(SlotLayout.status(raw[base(slot) + 1])); }

    public PayloadType payloadType(SlotKind slot) { return PayloadType.ofCode(SlotLayout.ptype(raw[base(slot) + 1])); }

    public long payloadId(SlotKind slot) { return SlotLayout.payloadId(raw[base(slot) + 1]); }

    public long version(SlotKind slot) { return SlotLayout.version(raw[base(slot) + 2]); }

    public int checksum(SlotKind slot) { return SlotLayout.checksum(raw[base(slot) + 2]); }

    public long lastUpdatedNs(SlotKind slot) { return raw[base(slot) + 3]; }

    public long seq(SlotKind slot) { return SlotLayout.seq(raw[base(slot)]); }

    /** An immutable copy of one slot (allocates). */
    public SlotView view(SlotKind slot) {
        int b = base(slot);
        long a = raw[b + 1];
        return new SlotView(slot, symbolId, minuteIdx, SlotStatus.ofCode(SlotLayout.status(a)), PayloadType.ofCode(SlotLayout.ptype(a)),
                SlotLayout.payloadId(a), SlotLayout.version(raw[b + 2]), SlotLayout.checksum(raw[b + 2]), raw[b + 3], SlotLayout.seq(raw[b]));
    }
}
