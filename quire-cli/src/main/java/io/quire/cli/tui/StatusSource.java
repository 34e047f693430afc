package io.quire.cli.tui;

import io.quire.windows.slots.SlotKind;

/**
 * Where the heat map reads slot statuses from: the mapped ledger files in the TUI
 * ({@link LedgerReader}), an array in unit tests. Read only; nothing here writes a slot.
 */
public interface StatusSource {
    /** Symbols known (ids {@code 0..symbolCount()-1}). */
    int symbolCount();

    /** The symbol text of an id below {@link #symbolCount()}. */
    String symbol(int symbolId);

    /**
     * Fills {@code out[m - fromMinute]} with the {@link io.quire.windows.slots.SlotStatus#code()}
     * of {@code column} for every minute {@code m} in {@code [fromMinute, toMinute)}.
     */
    void statuses(SlotKind column, int symbolId, int fromMinute, int toMinute, byte[] out);
}
