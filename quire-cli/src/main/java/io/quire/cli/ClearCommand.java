package io.quire.cli;

import io.quire.core.QuireException;
import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.MinuteSpans;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotLedger;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.symbols.SymbolMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code quire clear}: clear one column of one symbol over a minute range, dry run unless --yes. */
@Command(name = "clear", mixinStandardHelpOptions = true,
        description = {"Clear one column of SYMBOL for the minutes [FROM, TO) so that producers refill them (a repair",
                "or backfill). Without --yes nothing changes: it prints the slots that would be cleared. With --yes",
                "each slot becomes Cleared (its version kept), and the trail gets a clear_request (written",
                "before any change) and one clear entry per slot, with --operator and --cause, in windows/audit.",
                "FROM and TO are minute_idx values, window_ids or times as for 'quire window' (a time names the",
                "first minute starting at or after it; TO is exclusive). At most " + ClearCommand.MINUTES_MAX + " minutes (MINUTES_MAX)."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire clear --ledger trade --slot trade_ref AAPL 2025-03-10T09:30 2025-03-10T10:00 \\",
                "      --cause 'bad vendor file'                 # dry run: lists what would be cleared",
                "  quire clear --ledger trade --slot trade_ref AAPL 17160 17190 --year 2025 --cause refetch --yes",
                "",
                "Exit codes: 0 ok (also a dry run); 1 bad arguments (column not in --ledger, empty range,",
                "no --cause);",
                "3 unknown symbol or no slot file for the year."})
final class ClearCommand extends BaseCommand implements JsonOutput {

    /** Most minutes one clear may cover: 100 full sessions. */
    static final int MINUTES_MAX = 39_000;
    /** Bytes of --cause. */
    static final int CAUSE_BYTES_MAX = 200;

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    @Option(names = "--ledger", required = true, paramLabel = "LEDGER", description = "trade or enrichment.")
    String ledger;

    @Option(names = "--slot", required = true, paramLabel = "COLUMN", description = "The column, e.g. trade_ref, quote_ref, greeks_ref, aggs_5m.")
    String slot;

    @Parameters(index = "0", paramLabel = "SYMBOL") String symbol;

    @Parameters(index = "1", paramLabel = "FROM", description = "First minute (inclusive).") String from;

    @Parameters(index = "2", paramLabel = "TO", description = "End minute (exclusive).") String to;

    @Option(names = "--cause", required = true, paramLabel = "TEXT", description = "Why (1.." + CAUSE_BYTES_MAX + " bytes), kept in the audit trail.")
    String cause;

    @Option(names = "--yes", description = "Apply. Default: dry run.") boolean yes;

    @Option(names = "--operator", paramLabel = "NAME", description = "Who asks. Default: $USER.") String operator;

    @Option(names = "--year", paramLabel = "YEAR", description = "Year of bare minute_idx values. Default: the ledger's only year.") String year;

    @Option(names = "--json", description = "Print one JSON object: dry_run, ledger, column, symbol, symbol_id, from_minute_idx, "
            + "to_minute_idx, slots (those that change), cleared, audit. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        LedgerKind kind = switch (ledger) {
            case "trade" -> LedgerKind.TRADE;
            case "enrichment" -> LedgerKind.ENRICHMENT;
            default -> throw new CliUsageException("--ledger: '" + ledger + "' is not a ledger; trade or enrichment");
        };
        SlotKind column = WindowsCli.column(slot);
        if (column.ledger() != kind)
            throw new CliUsageException("--slot: " + column.column() + " is a " + column.ledger().fileName() + " column, not in the " + ledger + " ledger");
        checkCause(cause);
        String who = WindowsCli.operator(io(), operator);
        WindowsCli.Minute a = endpoint("FROM", from, true, null);
        WindowsCli.Minute b = endpoint("TO", to, false, a.calendar());
        int lo = a.minuteIdx(), hi = b.minuteIdx();
        if (hi <= lo) throw new CliUsageException("FROM..TO: the range [" + lo + ", " + hi + ") holds no minute");
        if (hi - lo > MINUTES_MAX) throw new CliUsageException("FROM..TO: " + (hi - lo) + " minutes; the limit is " + MINUTES_MAX + " (MINUTES_MAX)");
        TradingCalendar cal = a.calendar();
        try (SymbolMap map = WindowsCli.symbols(dir(), cal.year())) {
            int sym = WindowsCli.symbolId(map, symbol);
            WindowsAudit audit = WindowsCli.audit(dir(), who, map);
            List<SlotView> changing = new ArrayList<>();
            long cleared = 0;
            String where;
            try (SlotMatrix m = WindowsCli.openMatrix(dir(), cal, kind, audit)) {
                if (m == null) throw QuireException.notFound("no " + kind.fileName() + " slot file for " + cal.year() + " at "
                        + SlotMatrix.pathFor(dir(), cal.year(), kind));
                if (sym >= m.symbolsCapacity()) throw QuireException.notFound("symbol_id " + sym + " is past the slot file's capacity " + m.symbolsCapacity());
                for (int i = lo; i < hi; i++) {
                    SlotView v = m.read(column, sym, i);
                    if (v.status() != SlotStatus.EMPTY) changing.add(v);
                }
                if (yes) {
                    SlotLedger l = kind == LedgerKind.TRADE ? WindowsCli.trade(m) : WindowsCli.enrichment(m);
                    audit.clearRequested(who, kind, column, symbol, lo, hi, cause);
                    audit.beginBatch();
                    try {
                        for (int i = lo; i < hi; i++) {
                            var r = l.clearSlot(column, sym, i, cause, who);
                            if (r.before().status() != SlotStatus.EMPTY) cleared++;
                        }
                    } finally {
                        audit.flush();
                    }
                }
            } finally {
                where = WindowsCli.finish(dir(), audit);
            }
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("dry_run", !yes);
                o.put("ledger", kind.fileName());
                o.put("column", column.column());
                o.put("symbol", symbol);
                o.put("symbol_id", sym);
                o.put("from_minute_idx", lo);
                o.put("to_minute_idx", hi);
                o.put("slots", changing.stream().map(WindowsCli::slotJson).toList());
                o.put("cleared", cleared);
                o.put("audit", where);
                println(Json.line(o));
            } else {
                for (SlotView v : changing) out().println(v.minuteIdx() + " " + cal.windowId(v.minuteIdx()) + WindowsCli.slotText(v));
                out().flush();
                io().err().println(yes
                        ? "cleared " + cleared + " of " + (hi - lo) + " " + column.column() + " slots of " + symbol + " (minute_idx " + lo + ".." + (hi - 1) + "); " + WindowsCli.auditNote(where)
                        : "dry run: " + changing.size() + " of " + (hi - lo) + " " + column.column() + " slots of " + symbol + " (minute_idx " + lo + ".." + (hi - 1)
                                + ") would be cleared; add --yes to apply");
                io().err().flush();
            }
        }
        return ExitCodes.OK;
    }

    private WindowsCli.Minute endpoint(String name, String text, boolean isFrom, TradingCalendar sameYear) {
        if (text == null || text.isEmpty()) throw new CliUsageException(name + ": empty");
        if (DIGITS.matcher(text).matches() || text.matches("[0-9]{4}:[0-9]{1,3}:[0-9]{1,3}")) {
            // minute_idx, or TO one past the last minute
            if (!isFrom && DIGITS.matcher(text).matches()) {
                TradingCalendar cal = sameYear;
                long v = Long.parseLong(text);
                if (v > cal.totalMinutes()) throw new CliUsageException(name + ": minute_idx " + v + " is past the end of " + cal.year() + " (" + cal.totalMinutes() + ")");
                return new WindowsCli.Minute(cal, (int) v);
            }
            try {
                WindowsCli.Minute m = WindowsCli.minute(dir(), text, year);
                if (sameYear != null && m.calendar().year() != sameYear.year()) throw new CliUsageException("FROM and TO must be in the same year");
                return m;
            } catch (CliUsageException e) {
                throw new CliUsageException(e.getMessage().replaceFirst("^MINUTE", name));
            }
        }
        java.time.Instant ts;
        try {
            ts = WindowsCli.parseInstant(text);
        } catch (java.time.DateTimeException e) {
            throw new CliUsageException(name + ": '" + text + "' is not a minute_idx, a window_id or a time (2025-03-10T09:30, 2025-03-10T13:30:00Z)");
        }
        int y = ts.atZone(TradingCalendar.NEW_YORK).getYear();
        TradingCalendar cal = sameYear != null ? sameYear : WindowsCli.calendar(dir(), CalendarCommand.parseYear(Integer.toString(y)));
        if (y != cal.year() && !(y == cal.year() + 1 && !isFrom)) throw new CliUsageException("FROM and TO must be in the same year");
        int idx = MinuteSpans.firstMinuteAtOrAfter(cal, isFrom ? MinuteSpans.floorToMinute(ts) : ts);
        return new WindowsCli.Minute(cal, idx);
    }

    static void checkCause(String cause) {
        int n = cause.getBytes(StandardCharsets.UTF_8).length;
        if (cause.isBlank()) throw new CliUsageException("--cause: must not be blank");
        if (n > CAUSE_BYTES_MAX) throw new CliUsageException("--cause: " + n + " bytes; the limit is " + CAUSE_BYTES_MAX + " (CAUSE_BYTES_MAX)");
        if (cause.chars().anyMatch(c -> c < 0x20 && c != '\t')) throw new CliUsageException("--cause: must not contain control characters");
    }
}
