package io.quire.windows.slots;

import io.quire.core.QuireException;

import java.util.Objects;

/**
 * What both ledgers share: claim ({@link #markPending}), clear (audited), read one slot, walk
 * rows. The typed setters live in {@link TradeLedger} and {@link EnrichmentLedger}.
 */
public abstract sealed class SlotLedger implements AutoCloseable permits TradeLedger, EnrichmentLedger {
    final SlotMatrix matrix;

    SlotLedger(SlotMatrix matrix, LedgerKind expected) {
        this.matrix = Objects.requireNonNull(matrix, "matrix");
        if (matrix.kind() != expected)
            throw QuireException.invalid(matrix.path() + " is a " + matrix.kind().fileName() + " slot file, not " + expected.fileName());
    }

    public SlotMatrix matrix() { return matrix; }

    /**
     * Claims a slot for a worker: Empty/Cleared/Pending → Pending, payload untouched (there is
     * none in those states), last_updated_ns set to the ledger clock. Filled → Conflict
     * ILLEGAL_TRANSITION.
     */
    public SetResult markPending(SlotKind slot, int symbolId, int minuteIdx) {
        return matrix.markPending(slot, symbolId, minuteIdx);
    }

    /**
     * Resets a column to Cleared (or leaves it Empty when never touched), keeping its version,
     * sets last_updated_ns to the clear time, and hands the record to {@link SlotAudit#onClear}.
     *
     * @param cause    why (required, at most {@link SlotLimits#CAUSE_CHARS_MAX} characters)
     * @param operator who (required, at most {@link SlotLimits#OPERATOR_CHARS_MAX} characters)
     * @return what was cleared (before) and the published state (after)
     */
    public ClearRecord clearSlot(SlotKind slot, int symbolId, int minuteIdx, String cause, String operator) {
        return matrix.clear(slot, symbolId, minuteIdx, cause, operator);
    }

    /** A consistent snapshot of one slot. */
    public SlotView read(SlotKind slot, int symbolId, int minuteIdx) {
        return matrix.read(slot, symbolId, minuteIdx);
    }

    /** See {@link SlotMatrix#iterSymbol}. */
    public long iterSymbol(int symbolId, int fromMinute, int toMinute, RowVisitor visitor) {
        return matrix.iterSymbol(symbolId, fromMinute, toMinute, visitor);
    }

    /** See {@link SlotMatrix#iterMinute}. */
    public long iterMinute(int minuteIdx, int fromSymbol, int toSymbol, RowVisitor visitor) {
        return matrix.iterMinute(minuteIdx, fromSymbol, toSymbol, visitor);
    }

    SetResult set(SlotKind slot, int symbolId, int minuteIdx, PayloadMeta meta, long expectedVersion) {
        return matrix.fill(slot, symbolId, minuteIdx, meta, expectedVersion);
    }

    RowCursor row(int symbolId, int minuteIdx) {
        return matrix.row(symbolId, minuteIdx);
    }

    @Override
    public void close() { matrix.close(); }
}
