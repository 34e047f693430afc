package io.quire.windows.ingest;

import java.util.List;

/** Receives the rows of one (symbol, minute), complete and in SIP-timestamp order, once per group. */
@FunctionalInterface
public interface SymbolMinuteSink<R extends FlatRow> {
    /**
     * @param ticker    the symbol
     * @param minuteIdx the calendar year's minute_idx
     * @param rows      the group's rows (a fresh list the sink may keep)
     */
    void accept(String ticker, int minuteIdx, List<R> rows);
}
