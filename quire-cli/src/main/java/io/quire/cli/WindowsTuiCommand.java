package io.quire.cli;

import io.quire.cli.tui.HeatMapModel;
import io.quire.cli.tui.LedgerReader;
import io.quire.cli.tui.TuiScreen;
import io.quire.core.QuireException;
import io.quire.windows.calendar.CalendarData;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.SlotKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * {@code quire windows tui}: the operator's heat map of one year of the windows ledger, for a
 * terminal (also over SSH). Reads the mapped slot files beside a running writer and never writes
 * a slot; the one thing it writes is a priority region, through {@link PriorityRegionStore}.
 */
@Command(name = "tui", mixinStandardHelpOptions = true,
        description = {"Show a heat map of symbols (rows) x market minutes (columns) of one slot column, coloured by",
                "status (Filled green, Pending yellow, Empty white, Cleared red), refreshed every --refresh-ms",
                "while engines write. Move with h/l/j/k, zoom with o/i, pick a symbol with s and a column",
                "with x, select a range with v and make it a priority region with r; ? shows every key, q quits.",
                "Reads DIR/windows/YEAR/ without taking any lock that stops a writer; never writes slots."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire windows tui --year 2025",
                "  quire windows tui --year 2025 --column greeks_ref --symbol AAPL --at 2025:120:1",
                "  quire windows tui --year 2025 --now 2025-03-03T20:00:00Z --refresh-ms 200   # replay a moment",
                "",
                "Exit codes: 0 quit with q; 1 a bad option; 3 no DIR/windows/YEAR directory."})
final class WindowsTuiCommand extends BaseCommand {
    /** Poll interval bounds, milliseconds. */
    static final long REFRESH_MS_MIN = 50, REFRESH_MS_MAX = 60_000, REFRESH_MS_DEFAULT = 1_000;

    @Option(names = "--year", required = true, paramLabel = "YEAR", description = "The ledger year to show (DIR/windows/YEAR/).")
    String yearText;

    @Option(names = "--column", paramLabel = "COLUMN", defaultValue = "trade_ref",
            description = "The slot column to show first: rf_rate_ref, trade_ref, quote_ref, aggressor_ref, greeks_ref, "
                    + "aggs_1m, aggs_5m, aggs_10m, aggs_30m, aggs_1h, aggs_4h. Default: ${DEFAULT-VALUE}.")
    String columnText;

    @Option(names = "--refresh-ms", paramLabel = "MS", defaultValue = "" + REFRESH_MS_DEFAULT,
            description = "How often to re-read the mapped files, " + REFRESH_MS_MIN + ".." + REFRESH_MS_MAX
                    + " ms (REFRESH_MS_MIN..REFRESH_MS_MAX). Default: ${DEFAULT-VALUE}.")
    long refreshMs;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "The instant lag is measured to (ISO, e.g. 2025-03-03T20:00:00Z), for tests and replays. "
                    + "Default: the wall clock at each refresh.")
    String nowText;

    @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Start with the cursor on this symbol. Default: the first (id 0).")
    String symbol;

    @Option(names = "--at", paramLabel = "WINDOW_ID",
            description = "Start with the cursor on this window (YEAR:SESSION:MINUTE, e.g. 2025:1:1). Default: the first minute.")
    String at;

    /** Refuses a poll interval outside {@code REFRESH_MS_MIN..REFRESH_MS_MAX}. */
    static void checkRefreshMs(long ms) {
        if (ms < REFRESH_MS_MIN || ms > REFRESH_MS_MAX)
            throw new CliUsageException("--refresh-ms: " + ms + " is outside " + REFRESH_MS_MIN + ".." + REFRESH_MS_MAX
                    + " ms (REFRESH_MS_MIN..REFRESH_MS_MAX)");
    }

    @Override
    public Integer call() throws IOException {
        int year = CalendarCommand.parseYear(yearText);
        SlotKind column = SlotKind.ofColumn(columnText);
        if (column == null) throw new CliUsageException("--column: no column '" + columnText + "'; one of rf_rate_ref, trade_ref, "
                + "quote_ref, aggressor_ref, greeks_ref, aggs_1m, aggs_5m, aggs_10m, aggs_30m, aggs_1h, aggs_4h");
        checkRefreshMs(refreshMs);
        Supplier<Instant> now;
        if (nowText == null) now = Instant::now;
        else {
            try {
                Instant fixed = Instant.parse(nowText);
                now = () -> fixed;
            } catch (DateTimeParseException e) {
                throw new CliUsageException("--now: '" + nowText + "' is not an ISO instant such as 2025-03-03T20:00:00Z");
            }
        }
        Path yearDir = dir().resolve("windows").resolve(Integer.toString(year));
        if (!Files.isDirectory(yearDir))
            throw QuireException.notFound("no windows ledger for " + year + " at " + yearDir + " (engines create it; see docs/WINDOWS.md)");
        TradingCalendar cal = TradingCalendar.of(year, CalendarData.forLedgerDir(dir()));
        HeatMapModel model = new HeatMapModel(cal, column);
        if (at != null) {
            int m;
            try {
                m = cal.minuteIdx(at);
            } catch (QuireException e) {
                throw new CliUsageException("--at: " + e.reason());
            }
            model.jumpToMinute(m);
        }
        try (LedgerReader reader = new LedgerReader(dir(), year, cal.totalMinutes())) {
            if (symbol != null) {
                int id = reader.idOf(symbol);
                if (id < 0) throw new CliUsageException("--symbol: no symbol '" + symbol + "' in " + yearDir.resolve("symbols.map"));
                model.jumpToSymbol(id, reader.symbolCount());
            }
            PriorityRegionStore regions = PriorityRegionStore.open(dir(), cal,
                    s -> { int id = reader.idOf(s); return id < 0 ? OptionalInt.empty() : OptionalInt.of(id); }, Clock.systemUTC());
            new TuiScreen(model, reader, regions, now, refreshMs).run();
        }
        return ExitCodes.OK;
    }
}
