package io.quire.cli;

import io.quire.core.QuireException;
import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.RowCursor;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotView;
import io.quire.windows.symbols.SymbolMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code quire tail --slot COLUMN}: follows changes of one column from another process by
 * polling the mapped slot file. It keeps the low 32 bits of each watched slot's change counter
 * ({@code seq}) in one {@code int[]} and compares on every pass; the scan allocates nothing per
 * slot (one reused cursor), and a line is built only for a slot that changed.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Follow changes of one column of the windows ledger (e.g. aggressor_ref) as other processes",
                "write them: one line per changed slot, polling the mapped slot file. Existing state is not",
                "printed; only changes after start. Watches symbol ids 0..capacity-1 (or one --symbol) over the",
                "minutes [--from, --to); at most " + TailCommand.SLOTS_MAX + " slots (SLOTS_MAX).",
                "Stops after --count changes, or on Ctrl-C."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire tail --slot aggressor_ref --symbol AAPL",
                "  quire tail --slot trade_ref --symbol AAPL --count 10 --json   # scripts: exit after 10 changes",
                "  quire tail --slot quote_ref --from 2025-03-10T09:30 --to 2025-03-10T16:00",
                "",
                "Line: minute_idx window_id symbol column status payload_type payload_id version checksum",
                "      last_updated",
                "Exit codes: 0 ok; 1 bad arguments; 3 unknown symbol or no slot file for the year."})
final class TailCommand extends BaseCommand implements JsonOutput {
    /** Most slots one tail watches (one int each: 64 MiB). */
    static final int SLOTS_MAX = 16 * 1024 * 1024;
    /** Bounds of --interval-ms. */
    static final int INTERVAL_MS_MIN = 10, INTERVAL_MS_MAX = 60_000;

    @Option(names = "--slot", required = true, paramLabel = "COLUMN", description = "The column to follow, e.g. aggressor_ref.") String slot;
    @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol. Default: every symbol id of the file.") String symbol;
    @Option(names = "--from", paramLabel = "MINUTE", description = "First minute watched (as in 'quire window'). Default: the year's first.") String from;
    @Option(names = "--to", paramLabel = "MINUTE", description = "End minute (exclusive). Default: after the year's last.") String to;
    @Option(names = "--year", paramLabel = "YEAR", description = "Default: the year of --from, else the ledger's only year.") String year;
    @Option(names = "--count", paramLabel = "N", description = "Exit after N changes (1..2147483647). Default: run until interrupted.") Integer count;
    @Option(names = "--interval-ms", paramLabel = "MS", description = "Poll interval, " + INTERVAL_MS_MIN + ".." + INTERVAL_MS_MAX + " ms. Default: 100.")
    int intervalMs = 100;
    @Option(names = "--json", description = "JSON Lines: one object per change (symbol, symbol_id, minute_idx, window_id and the slot fields). Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() throws Exception {
        SlotKind column = WindowsCli.column(slot);
        if (count != null && count < 1) throw new CliUsageException("--count: must be at least 1");
        if (intervalMs < INTERVAL_MS_MIN || intervalMs > INTERVAL_MS_MAX)
            throw new CliUsageException("--interval-ms: " + intervalMs + " is outside " + INTERVAL_MS_MIN + ".." + INTERVAL_MS_MAX);
        WindowsCli.Minute lo = from == null ? null : WindowsCli.minute(dir(), from, year);
        TradingCalendar cal = lo != null ? lo.calendar() : WindowsCli.calendar(dir(), WindowsCli.year(dir(), year));
        int fromIdx = lo == null ? 0 : lo.minuteIdx();
        int toIdx = cal.totalMinutes();
        if (to != null) {
            WindowsCli.Minute hi = WindowsCli.minute(dir(), to, Integer.toString(cal.year()));
            toIdx = hi.minuteIdx();
        }
        if (toIdx <= fromIdx) throw new CliUsageException("--from/--to: the range [" + fromIdx + ", " + toIdx + ") holds no minute");
        SymbolMap[] map = {WindowsCli.symbols(dir(), cal.year())};
        WindowsAudit audit = WindowsCli.audit(dir(), WindowsAudit.SYSTEM_OPERATOR, map[0]);
        try (SlotMatrix m = WindowsCli.openMatrix(dir(), cal, column.ledger(), audit)) {
            if (m == null) throw QuireException.notFound("no " + column.ledger().fileName() + " slot file for " + cal.year() + " at "
                    + SlotMatrix.pathFor(dir(), cal.year(), column.ledger()));
            int symLo = 0, symHi = m.symbolsCapacity();
            if (symbol != null) {
                symLo = WindowsCli.symbolId(map[0], symbol);
                symHi = symLo + 1;
                if (symLo >= m.symbolsCapacity()) throw QuireException.notFound("symbol_id " + symLo + " is past the slot file's capacity");
            }
            int minutes = toIdx - fromIdx;
            long slots = (long) (symHi - symLo) * minutes;
            if (slots > SLOTS_MAX) throw new CliUsageException("the watch covers " + slots + " slots; the limit is " + SLOTS_MAX
                    + " (SLOTS_MAX): give --symbol, or a narrower --from/--to");
            int[] seen = new int[(int) slots];
            long[] printed = {0};
            boolean[] baseline = {true};
            int f = fromIdx, sl = symLo;
            int limit = count == null ? Integer.MAX_VALUE : count;
            while (printed[0] < limit) {
                for (int s = symLo; s < symHi && printed[0] < limit; s++) {
                    final int base = (s - sl) * minutes - f;
                    final int sym = s;
                    m.iterSymbol(s, fromIdx, toIdx, (RowCursor row) -> {
                        int i = base + row.minuteIdx();
                        int q = (int) row.seq(column);
                        if (q != seen[i]) {
                            seen[i] = q;
                            if (!baseline[0]) {
                                emit(map, cal, sym, row.view(column));
                                printed[0]++;
                                return printed[0] < limit;
                            }
                        }
                        return true;
                    });
                }
                if (baseline[0]) {
                    baseline[0] = false;
                    io().err().println("quire: following " + column.column() + " of " + (symbol != null ? symbol : (symHi - symLo) + " symbol ids")
                            + ", minute_idx " + fromIdx + ".." + (toIdx - 1));
                    io().err().flush();
                }
                if (printed[0] >= limit) break;
                Thread.sleep(intervalMs);
            }
        } finally {
            WindowsCli.finish(dir(), audit);
            map[0].close();
        }
        return ExitCodes.OK;
    }

    private void emit(SymbolMap[] map, TradingCalendar cal, int sym, SlotView v) {
        Optional<String> name = map[0].symbolOf(sym);
        if (name.isEmpty()) {
            // A symbol allocated after start: reload the (read-only) map once to name it.
            map[0].close();
            map[0] = WindowsCli.symbols(dir(), cal.year());
            name = map[0].symbolOf(sym);
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("symbol", name.orElse(null));
            o.put("symbol_id", sym);
            o.put("minute_idx", v.minuteIdx());
            o.put("window_id", cal.windowId(v.minuteIdx()).toString());
            o.putAll(WindowsCli.slotJson(v));
            println(Json.line(o));
        } else {
            println(v.minuteIdx() + " " + cal.windowId(v.minuteIdx()) + " " + name.orElse("#" + sym) + WindowsCli.slotText(v));
        }
    }
}
