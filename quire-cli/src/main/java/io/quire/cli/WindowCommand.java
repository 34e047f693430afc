package io.quire.cli;

import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.calendar.WindowId;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotView;
import io.quire.windows.symbols.SymbolMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code quire window SYMBOL MINUTE}: both rows of one window, every slot. */
@Command(name = "window", mixinStandardHelpOptions = true,
        description = {"Print the trade and enrichment rows of one window (SYMBOL x MINUTE) of the windows ledger, every",
                "slot with status, payload_type, payload_id, version, checksum (hex) and last_updated.",
                "MINUTE is a minute_idx (0-based, of --year or the ledger's only year), a window_id (2025:45:1),",
                "an ISO instant (2025-03-10T13:30:00Z, or with an offset) or a New York date-time",
                "(2025-03-10T09:30)."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire window AAPL 2025-03-10T09:30          # New York time: the first minute of the session",
                "  quire window AAPL 2025-03-10T13:30:00Z      # the same minute as a UTC instant",
                "  quire window AAPL 17160 --year 2025 --json  # by minute_idx",
                "",
                "Exit codes: 0 ok; 1 bad SYMBOL/MINUTE text; 3 unknown symbol, market closed at MINUTE, or no",
                "windows ledger for the year."})
final class WindowCommand extends BaseCommand implements JsonOutput {

    @Parameters(index = "0", paramLabel = "SYMBOL", description = "The symbol, e.g. AAPL or O:SPY251112C00675000.")
    String symbol;

    @Parameters(index = "1", paramLabel = "MINUTE", description = "The minute (see above).")
    String minute;

    @Option(names = "--year", paramLabel = "YEAR", description = "Year of a bare minute_idx. Default: the ledger's only year.")
    String year;

    @Option(names = "--json", description = "Print one JSON object: symbol, symbol_id, minute_idx, window_id, start_ts, end_ts, "
            + "trade and enrichment (arrays of slots, or null when that ledger file does not exist). Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        WindowsCli.Minute m = WindowsCli.minute(dir(), minute, year);
        TradingCalendar cal = m.calendar();
        try (SymbolMap map = WindowsCli.symbols(dir(), cal.year())) {
            int sym = WindowsCli.symbolId(map, symbol);
            WindowsAudit audit = WindowsCli.audit(dir(), WindowsCli.operator(io(), null), map);
            List<SlotView> trade;
            List<SlotView> enr;
            try (SlotMatrix t = WindowsCli.openMatrix(dir(), cal, LedgerKind.TRADE, audit);
                 SlotMatrix e = WindowsCli.openMatrix(dir(), cal, LedgerKind.ENRICHMENT, audit)) {
                if (t == null && e == null) throw io.quire.core.QuireException.notFound("no slot files for " + cal.year() + " under " + dir().resolve("windows"));
                trade = row(t, LedgerKind.TRADE, sym, m.minuteIdx());
                enr = row(e, LedgerKind.ENRICHMENT, sym, m.minuteIdx());
            } finally {
                WindowsCli.finish(dir(), audit);
            }
            Instant start = cal.minuteStart(m.minuteIdx());
            WindowId id = cal.windowId(m.minuteIdx());
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("symbol", symbol);
                o.put("symbol_id", sym);
                o.put("minute_idx", m.minuteIdx());
                o.put("window_id", id.toString());
                o.put("start_ts", start.toString());
                o.put("end_ts", start.plusSeconds(60).toString());
                o.put("trade", trade == null ? null : trade.stream().map(WindowsCli::slotJson).toList());
                o.put("enrichment", enr == null ? null : enr.stream().map(WindowsCli::slotJson).toList());
                println(Json.line(o));
            } else {
                out().println(symbol + " (symbol_id " + sym + ") minute_idx " + m.minuteIdx() + " window_id " + id + " ["
                        + start + ", " + start.plusSeconds(60) + ") " + start.atZone(TradingCalendar.NEW_YORK).toLocalDateTime() + " New York");
                print("trade", trade);
                print("enrichment", enr);
                out().flush();
            }
        }
        return ExitCodes.OK;
    }

    private void print(String name, List<SlotView> row) {
        out().println(name + (row == null ? ": (no " + name + " slot file for this year)" : ":"));
        if (row == null) return;
        out().println(String.format("  %-14s %-8s %-10s %10s %6s %-8s %s", "slot", "status", "type", "payload_id", "ver", "checksum", "last_updated"));
        for (SlotView v : row) out().println(WindowsCli.slotText(v));
    }

    private static List<SlotView> row(SlotMatrix m, LedgerKind kind, int sym, int minuteIdx) {
        if (m == null) return null;
        if (sym >= m.symbolsCapacity()) throw io.quire.core.QuireException.notFound("symbol_id " + sym + " is past the " + kind.fileName()
                + " slot file's capacity " + m.symbolsCapacity());
        List<SlotView> out = new ArrayList<>();
        for (SlotKind k : SlotKind.of(kind)) out.add(m.read(k, sym, minuteIdx));
        return out;
    }
}
