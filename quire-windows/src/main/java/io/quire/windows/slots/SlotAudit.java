package io.quire.windows.slots;

/**
 * Receives the audited events of a slot file. The windows service wires it to the core stream
 * {@code windows/audit}; tests collect records. Called after the change is published, on the
 * thread that made it; an exception thrown here reaches that caller (the change stays made).
 */
public interface SlotAudit {
    SlotAudit NONE = new SlotAudit() {
        @Override public void onClear(ClearRecord r) {}
    };

    /** An operator cleared a slot. */
    void onClear(ClearRecord record);

    /** A slot was repaired (torn write of a dead writer, or invalid content). */
    default void onRepair(RepairRecord record) {}
}
