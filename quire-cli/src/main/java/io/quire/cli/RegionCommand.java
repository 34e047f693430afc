package io.quire.cli;

import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.MinuteSpans;
import io.quire.windows.regions.PriorityRegion;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.regions.RegionLimits;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.symbols.SymbolMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code quire region add|list|rm}: the priority regions of a year (docs/WINDOWS.md "Priority regions"). */
@Command(name = "region", mixinStandardHelpOptions = true,
        description = {"Priority regions: symbol x time ranges that workers do before their default queue, retired",
                "automatically once every minute is healthy for every targeted column. Changes are audited."},
        subcommands = {RegionCommand.Add.class, RegionCommand.ListRegions.class, RegionCommand.Rm.class},
        footerHeading = "%nExamples:%n",
        footer = {"  quire region add AAPL 2025-03-10T09:30 2025-03-10T11:00 --priority 50 --columns trade_ref",
                "  quire region list --json",
                "  quire region rm 7 --year 2025"})
final class RegionCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new CliUsageException("quire region: name a subcommand (add, list, rm); see 'quire region --help'");
    }

    static Map<String, Object> regionJson(PriorityRegion r, PriorityRegionStore store) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("symbol", r.symbol());
        m.put("symbol_id", r.symbolId());
        m.put("start_ts", r.startTs().toString());
        m.put("end_ts", r.endTs().toString());
        m.put("priority", r.priority());
        m.put("columns", r.columns().stream().map(SlotKind::column).toList());
        m.put("done_columns", r.doneColumns().stream().map(SlotKind::column).toList());
        MinuteSpans.Span sp = store.span(r);
        m.put("from_minute_idx", sp.fromMinuteIdx());
        m.put("to_minute_idx", sp.toMinuteIdx());
        m.put("minutes", sp.minutes());
        m.put("created_at", r.createdAt().toString());
        m.put("creator", r.creator());
        return m;
    }

    static String text(PriorityRegion r, PriorityRegionStore store) {
        MinuteSpans.Span sp = store.span(r);
        List<String> cols = new ArrayList<>();
        for (SlotKind k : r.columns()) cols.add((r.doneColumns().contains(k) ? "+" : "") + k.column());
        return r.id() + " " + r.symbol() + " " + r.startTs() + " " + r.endTs() + " " + r.priority() + " " + sp.minutes()
                + " " + String.join(",", cols) + " " + r.creator();
    }

    static PriorityRegionStore openStore(java.nio.file.Path dir, TradingCalendar cal, SymbolMap map) {
        return PriorityRegionStore.open(dir, cal, map::idOf, Clock.systemUTC());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a region for SYMBOL over [FROM, TO): the market minutes starting in that interval.",
                    "FROM and TO are ISO instants or New York date-times (2025-03-10T09:30). Prints the region."},
            footerHeading = "%nExamples:%n",
            footer = {"  quire region add AAPL 2025-03-10T09:30 2025-03-10T16:00 --priority 10 --columns trade_ref",
                    "  quire region add SPY 2025-03-10T13:30:00Z 2025-03-11T20:00:00Z --priority 900 \\",
                    "      --all-columns",
                    "",
                    "Exit codes: 0 ok; 1 bad input (FROM >= TO, priority outside " + RegionLimits.PRIORITY_MIN + ".." + RegionLimits.PRIORITY_MAX
                            + ", unknown column, too many minutes); 3 unknown symbol; 4 region cap reached."})
    static final class Add extends BaseCommand implements JsonOutput {
        @Parameters(index = "0", paramLabel = "SYMBOL") String symbol;
        @Parameters(index = "1", paramLabel = "FROM") String from;
        @Parameters(index = "2", paramLabel = "TO") String to;

        @Option(names = "--priority", required = true, paramLabel = "N",
                description = "Higher goes first, " + RegionLimits.PRIORITY_MIN + ".." + RegionLimits.PRIORITY_MAX + " (0 is the default queue).")
        String priority;

        @Option(names = "--columns", paramLabel = "COL[,COL...]", split = ",", description = "Targeted columns, e.g. trade_ref,quote_ref. No default: give this or --all-columns.")
        List<String> columns;

        @Option(names = "--all-columns", description = "Target all 11 columns (retires only when every column is healthy).")
        boolean all;

        @Option(names = "--operator", paramLabel = "NAME", description = "Creator. Default: $USER.") String operator;

        @Option(names = "--json", description = "Print the region as one JSON object. Default: off.") boolean json;

        @Override public boolean json() { return json; }

        @Override
        public Integer call() {
            Instant a = instant("FROM", from);
            Instant b = instant("TO", to);
            int p;
            try {
                p = Integer.parseInt(priority);
            } catch (NumberFormatException e) {
                throw new CliUsageException("--priority: '" + priority + "' is not a number");
            }
            if (p < RegionLimits.PRIORITY_MIN || p > RegionLimits.PRIORITY_MAX)
                throw new CliUsageException("--priority: " + p + " is outside " + RegionLimits.PRIORITY_MIN + ".." + RegionLimits.PRIORITY_MAX);
            Set<SlotKind> cols;
            if (all == (columns != null)) throw new CliUsageException("give exactly one of --columns COL[,COL...] and --all-columns");
            if (all) cols = PriorityRegion.ALL_COLUMNS;
            else {
                cols = EnumSet.noneOf(SlotKind.class);
                for (String c : columns) cols.add(WindowsCli.column(c.trim()));
            }
            String who = WindowsCli.operator(io(), operator);
            int year = a.atZone(TradingCalendar.NEW_YORK).getYear();
            TradingCalendar cal = WindowsCli.calendar(dir(), CalendarCommand.parseYear(Integer.toString(year)));
            try (SymbolMap map = WindowsCli.symbols(dir(), year)) {
                WindowsCli.symbolId(map, symbol);
                PriorityRegionStore store = openStore(dir(), cal, map);
                PriorityRegion r = store.add(symbol, a, b, p, cols, who);
                WindowsAudit audit = WindowsCli.audit(dir(), who, map);
                String where;
                try {
                    audit.regionAdded(r, who);
                } finally {
                    where = WindowsCli.finish(dir(), audit);
                }
                if (json) println(Json.line(regionJson(r, store)));
                else {
                    println(text(r, store));
                    io().err().println("added region " + r.id() + "; " + WindowsCli.auditNote(where));
                    io().err().flush();
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the active regions of a year in work order (priority, then age):",
                    "id symbol start_ts end_ts priority minutes columns (+ = done) creator."},
            footerHeading = "%nExamples:%n",
            footer = {"  quire region list", "  quire region list --year 2025 --json | jq '.[].id'"})
    static final class ListRegions extends BaseCommand implements JsonOutput {
        @Option(names = "--year", paramLabel = "YEAR", description = "Default: the ledger's only year.") String year;

        @Option(names = "--json", description = "Print one JSON array of regions. Default: off.") boolean json;

        @Override public boolean json() { return json; }

        @Override
        public Integer call() {
            int y = WindowsCli.year(dir(), year);
            TradingCalendar cal = WindowsCli.calendar(dir(), y);
            try (SymbolMap map = WindowsCli.symbols(dir(), y)) {
                PriorityRegionStore store = openStore(dir(), cal, map);
                List<PriorityRegion> rs = store.list();
                if (json) println(Json.line(rs.stream().map(r -> regionJson(r, store)).toList()));
                else {
                    out().println("id symbol start_ts end_ts priority minutes columns creator");
                    for (PriorityRegion r : rs) out().println(text(r, store));
                    out().flush();
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = {"Remove region ID (workers stop preferring its minutes at their next poll)."},
            footerHeading = "%nExamples:%n",
            footer = {"  quire region rm 7", "", "Exit codes: 0 ok; 1 ID not a number; 3 no such region."})
    static final class Rm extends BaseCommand implements JsonOutput {
        @Parameters(index = "0", paramLabel = "ID") String id;

        @Option(names = "--year", paramLabel = "YEAR", description = "Default: the ledger's only year.") String year;

        @Option(names = "--operator", paramLabel = "NAME", description = "Who removes it. Default: $USER.") String operator;

        @Option(names = "--json", description = "Print the removed region as one JSON object. Default: off.") boolean json;

        @Override public boolean json() { return json; }

        @Override
        public Integer call() {
            long rid;
            try {
                rid = Long.parseLong(id);
            } catch (NumberFormatException e) {
                throw new CliUsageException("ID: '" + id + "' is not a region id (a number from 'quire region list')");
            }
            if (rid < 1) throw new CliUsageException("ID: region ids start at 1");
            String who = WindowsCli.operator(io(), operator);
            int y = WindowsCli.year(dir(), year);
            TradingCalendar cal = WindowsCli.calendar(dir(), y);
            try (SymbolMap map = WindowsCli.symbols(dir(), y)) {
                PriorityRegionStore store = openStore(dir(), cal, map);
                PriorityRegion r = store.remove(rid);
                WindowsAudit audit = WindowsCli.audit(dir(), who, map);
                String where;
                try {
                    audit.regionRemoved(r, who);
                } finally {
                    where = WindowsCli.finish(dir(), audit);
                }
                if (json) println(Json.line(regionJson(r, store)));
                else {
                    println(text(r, store));
                    io().err().println("removed region " + r.id() + "; " + WindowsCli.auditNote(where));
                    io().err().flush();
                }
            }
            return ExitCodes.OK;
        }
    }

    static Instant instant(String name, String text) {
        try {
            return WindowsCli.parseInstant(text);
        } catch (DateTimeException e) {
            throw new CliUsageException(name + ": '" + text + "' is not an ISO instant (2025-03-10T13:30:00Z) or a New York date-time (2025-03-10T09:30)");
        }
    }
}
