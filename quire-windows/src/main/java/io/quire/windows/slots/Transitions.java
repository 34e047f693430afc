package io.quire.windows.slots;

/**
 * The status transition table, one place for every rule a setter, {@code markPending} and
 * {@code clearSlot} apply. Columns are operations, rows the current status:
 *
 * <pre>
 *  from \ op  | FILL (set*Ref)             | PEND (markPending)     | CLEAR (clearSlot)
 *  -----------+----------------------------+------------------------+-------------------------
 *  EMPTY      | FILLED  if v &gt;= cur        | PENDING                | EMPTY (nothing written)
 *  PENDING    | FILLED  if v &gt;= cur        | PENDING (re-claim)     | CLEARED
 *  FILLED     | FILLED  if v &gt;  cur        | refused                | CLEARED
 *  CLEARED    | FILLED  if v &gt;= cur        | PENDING                | CLEARED (again)
 * </pre>
 *
 * Before the table: FILL with a payload type other than the column's is WRONG_PAYLOAD_TYPE; FILL
 * with an expected version different from the current one is VERSION_MISMATCH. A version lower
 * than the current is VERSION_REGRESSED; FILLED → FILLED at the same version is
 * VERSION_NOT_ADVANCED (readers compare versions to notice revisions, so a refill that changes
 * the payload without a new version would be invisible — clear first). Versions never go down:
 * PENDING and CLEARED keep the version of what they replace, which also means a caller holding
 * an old expected version cannot be fooled by a clear-and-refill at a lower version.
 * Filled → Pending is refused because it would hide a durable payload from readers.
 */
final class Transitions {
    private Transitions() {}

    enum Op { FILL, PEND, CLEAR }

    static final long NO_EXPECTED = -1;

    /** The refusal for this operation, or null when it is allowed. */
    static ConflictReason refuse(Op op, SlotStatus from, long curVersion, SlotKind slot, PayloadMeta meta, long expected) {
        switch (op) {
            case FILL -> {
                if (meta.payloadType() != slot.accepts()) return ConflictReason.WRONG_PAYLOAD_TYPE;
                if (expected != NO_EXPECTED && expected != curVersion) return ConflictReason.VERSION_MISMATCH;
                if (meta.version() < curVersion) return ConflictReason.VERSION_REGRESSED;
                if (from == SlotStatus.FILLED && meta.version() == curVersion) return ConflictReason.VERSION_NOT_ADVANCED;
                return null;
            }
            case PEND -> {
                return from == SlotStatus.FILLED ? ConflictReason.ILLEGAL_TRANSITION : null;
            }
            case CLEAR -> {
                return null;
            }
        }
        throw new IllegalStateException("bad math in Transitions: op " + op);
    }

    /** The status an allowed operation leads to. */
    static SlotStatus target(Op op, SlotStatus from) {
        return switch (op) {
            case FILL -> SlotStatus.FILLED;
            case PEND -> SlotStatus.PENDING;
            case CLEAR -> from == SlotStatus.EMPTY ? SlotStatus.EMPTY : SlotStatus.CLEARED;
        };
    }

    static String detail(ConflictReason r, SlotKind slot, SlotStatus from, long curVersion, PayloadMeta meta, long expected, Op op) {
        return switch (r) {
            case WRONG_PAYLOAD_TYPE -> slot.column() + " accepts " + slot.accepts() + ", got " + meta.payloadType();
            case VERSION_MISMATCH -> "expected version " + expected + ", slot is at version " + curVersion;
            case VERSION_REGRESSED -> "version " + meta.version() + " is below the slot's version " + curVersion;
            case VERSION_NOT_ADVANCED -> "slot is already FILLED at version " + curVersion + "; a refill needs a higher version (or clear first)";
            case ILLEGAL_TRANSITION -> from + " -> " + (op == Op.PEND ? "PENDING" : op.name()) + " is not allowed for " + slot.column();
        };
    }
}
