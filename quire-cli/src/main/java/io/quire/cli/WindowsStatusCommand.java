package io.quire.cli;

import io.quire.windows.audit.AuditSpool;
import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.MappingFile;
import io.quire.windows.metrics.WindowsMetrics;
import io.quire.windows.metrics.WindowsStatus;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.symbols.SymbolLimits;
import io.quire.windows.symbols.SymbolMap;
import io.quire.windows.slots.PayloadType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** {@code quire windows status}: the health of one year of the windows ledger. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Health of one year (or one --date) of the windows ledger, measured at --now: per column the",
                "status counts and ratios of the active windows, and window_lag (minutes since the end_ts of the",
                "oldest active window whose column is not Filled; 0 when all are); symbol cardinality;",
                "priority-region backlog per column; mapping-file sizes; audit records still spooled.",
                "Active windows: ended by --now, in a session where the symbol has any slot written (a day nobody",
                "has started is not lag), and for greeks_ref only option symbols (O:...)."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire windows status", "  quire windows status --year 2025 --now 2025-03-10T16:00 --json",
                "  quire windows status --date 2025-03-10            # one session: reads only that day",
                "", "Exit codes: 0 ok; 1 bad --now/--year/--date, or --date not a session; 3 no windows ledger for the year."})
final class WindowsStatusCommand extends BaseCommand implements JsonOutput {

    @Option(names = "--year", paramLabel = "YEAR", description = "Default: the year of --now, else the ledger's only year.") String year;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Scan only this session (its year is the ledger year). Default: the whole year.")
    String date;

    @Option(names = "--now", paramLabel = "TIME", description = "The instant to measure lag against (ISO instant or New York date-time). Default: the clock.")
    String now;

    @Option(names = "--json", description = "Print one JSON object (fields in docs/CLI.md). Default: off.") boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        Instant at = now == null ? Instant.now() : RegionCommand.instant("--now", now);
        java.time.LocalDate day = null;
        if (date != null) {
            try {
                day = java.time.LocalDate.parse(date);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CliUsageException("--date '" + date + "' is not a date YYYY-MM-DD");
            }
            if (year != null && CalendarCommand.parseYear(year) != day.getYear())
                throw new CliUsageException("--date " + date + " is not in --year " + year);
        }
        int y = year != null ? CalendarCommand.parseYear(year)
                : day != null ? CalendarCommand.parseYear(Integer.toString(day.getYear()))
                : now != null ? CalendarCommand.parseYear(Integer.toString(at.atZone(TradingCalendar.NEW_YORK).getYear())) : WindowsCli.year(dir(), null);
        TradingCalendar cal = WindowsCli.calendar(dir(), y);
        int from = 0, to = cal.totalMinutes();
        if (day != null) {
            final java.time.LocalDate d = day;
            var sess = cal.sessionOn(day).orElseThrow(() -> new CliUsageException("--date " + d + " has no session (weekend, holiday or closure)"));
            from = sess.firstMinuteIdx();
            to = sess.lastMinuteIdx() + 1;
        }
        try (SymbolMap map = WindowsCli.symbols(dir(), y)) {
            WindowsAudit audit = WindowsCli.audit(dir(), WindowsAudit.SYSTEM_OPERATOR, map);
            WindowsStatus st;
            try (SlotMatrix t = WindowsCli.openMatrix(dir(), cal, LedgerKind.TRADE, audit);
                 SlotMatrix e = WindowsCli.openMatrix(dir(), cal, LedgerKind.ENRICHMENT, audit)) {
                if (t == null && e == null) throw io.quire.core.QuireException.notFound("no slot files for " + y + " under " + dir().resolve("windows"));
                st = WindowsStatus.scan(cal, WindowsCli.trade(t), WindowsCli.enrichment(e), map.size(), WindowsMetrics.hasGreeks(map), from, to, at);
            } finally {
                WindowsCli.finish(dir(), audit);
            }
            PriorityRegionStore regions = RegionCommand.openStore(dir(), cal, map);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("year", y);
            o.put("now", at.toString());
            o.put("symbols", map.size());
            o.put("symbols_max", SymbolLimits.SYMBOLS_PER_YEAR_MAX);
            o.put("date", day == null ? null : day.toString());
            o.put("ended_minutes", st.endedMinutes());
            o.put("active_sessions", st.activeSessions());
            Map<String, Object> cols = new LinkedHashMap<>();
            for (SlotKind k : SlotKind.values()) {
                if (!st.counts().containsKey(k)) continue;
                Map<String, Object> c = new LinkedHashMap<>();
                for (SlotStatus s : SlotStatus.values()) c.put(s.name().toLowerCase(Locale.ROOT), st.count(k, s));
                Map<String, Object> r = new LinkedHashMap<>();
                for (SlotStatus s : SlotStatus.values()) r.put(s.name().toLowerCase(Locale.ROOT), Math.round(st.ratio(k, s) * 1e6) / 1e6);
                c.put("ratios", r);
                c.put("lag_minutes", st.lagMinutes().get(k));
                c.put("region_backlog", regions.backlog(k));
                cols.put(k.column(), c);
            }
            o.put("columns", cols);
            o.put("regions", regions.list().size());
            Map<String, Object> files = new LinkedHashMap<>();
            for (PayloadType p : PayloadType.values()) {
                if (p == PayloadType.NONE) continue;
                Path f = MappingFile.fileIn(dir(), y, p);
                files.put(p.mapFile(), Files.exists(f) ? size(f) : null);
            }
            o.put("mapping_files", files);
            o.put("audit_spooled_files", spooled());
            if (json) println(Json.line(o));
            else print(o, cols, files);
        }
        return ExitCodes.OK;
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> o, Map<String, Object> cols, Map<String, Object> files) {
        out().println("year " + o.get("year") + " at " + o.get("now") + ": " + o.get("symbols") + " of " + o.get("symbols_max")
                + " symbols, " + o.get("ended_minutes") + " ended minutes" + (o.get("date") == null ? "" : " of " + o.get("date"))
                + ", " + o.get("active_sessions") + " active symbol-sessions, " + o.get("regions") + " active regions, "
                + o.get("audit_spooled_files") + " audit spool files");
        out().println(String.format("%-14s %10s %10s %10s %10s %8s %12s %14s", "column", "empty", "pending", "filled", "cleared", "filled%", "lag_minutes", "region_backlog"));
        for (var e : cols.entrySet()) {
            Map<String, Object> c = (Map<String, Object>) e.getValue();
            Map<String, Object> r = (Map<String, Object>) c.get("ratios");
            out().println(String.format("%-14s %10d %10d %10d %10d %7.2f%% %12d %14d", e.getKey(), c.get("empty"), c.get("pending"), c.get("filled"),
                    c.get("cleared"), 100 * (double) r.get("filled"), c.get("lag_minutes"), c.get("region_backlog")));
        }
        out().println("mapping files (bytes):");
        for (var e : files.entrySet()) out().println("  " + e.getKey() + " " + (e.getValue() == null ? "-" : e.getValue()));
        out().flush();
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw io.quire.core.QuireException.io("cannot stat " + f + ": " + e.getMessage(), io.quire.core.Where.file(f.toString(), -1), e);
        }
    }

    private long spooled() {
        Path d = AuditSpool.dirIn(dir());
        if (!Files.isDirectory(d)) return 0;
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.toString().endsWith(AuditSpool.SPOOL_SUFFIX)).count();
        } catch (IOException e) {
            return -1;
        }
    }

}
