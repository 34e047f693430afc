package io.quire.windows.slots;

/** Why a setter, {@code markPending} or a CAS refused; the slot was left unchanged. */
public enum ConflictReason {
    /** The meta's payload type is not the one the slot accepts. */
    WRONG_PAYLOAD_TYPE,
    /** The status transition is not in the table (e.g. Filled → Pending). */
    ILLEGAL_TRANSITION,
    /** The caller's expected version is not the slot's current version (someone else won). */
    VERSION_MISMATCH,
    /** The new version is lower than the slot's current version. */
    VERSION_REGRESSED,
    /** Filled → Filled at the same version: a refill must carry a higher version (or clear first). */
    VERSION_NOT_ADVANCED
}
