/**
 * The windows ledger (DESIGN §7): every symbol × market minute of a trading year as a dense,
 * memory-mapped slot matrix. Sub-packages: {@code calendar} (sessions, minute_idx, window ids),
 * {@code symbols} (dense u16 symbol ids), {@code slots} (the slot matrix and typed ledgers),
 * {@code mapping} (payload mapping files), {@code regions}, {@code treasury}.
 */
package io.quire.windows;
