package io.quire.cli;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.regions.PriorityRegion;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives the real {@code quire windows tui} in a real terminal: tmux runs {@code bin/quire} in a
 * detached 160x50 pane, the test types with {@code send-keys} and reads the screen with
 * {@code capture-pane -p}. The fixture ledger is written by this JVM through the quire-windows
 * API, which stays open as a writer in another process while the TUI reads, exactly as beside a
 * running engine. tmux is required: without it the test fails and says so (CI installs it).
 */
class WindowsTuiIT {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path QUIRE = ROOT.resolve("bin/quire");
    static final int YEAR = 2025;
    /** Generous: a cold JVM on a loaded 2-core machine. */
    static final long WAIT_MS = 60_000;

    @TempDir Path tmp;
    private String socket;

    @BeforeAll
    static void needsTmuxAndJars() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            fail("tmux is not installed; WindowsTuiIT drives the TUI in a real terminal through tmux. Install it "
                    + "(apt-get install -y tmux; .ci/run does this) and run again. Cause: " + e.getMessage());
            return;
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("tmux -V works").isTrue();
        Path target = ROOT.resolve("quire-cli/target");
        try (Stream<Path> s = Files.list(target)) {
            assertThat(s.anyMatch(f -> f.getFileName().toString().matches("quire-cli-.*\\.jar")) && Files.isDirectory(target.resolve("lib")))
                    .as("bin/quire needs the packaged jars (failsafe runs after package)").isTrue();
        }
    }

    @AfterEach
    void killOurTmuxServer() throws Exception {
        // Only the server on this test's own socket: never anyone else's tmux.
        if (socket != null) tmux("kill-server");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldShowRefreshMoveZoomCreateARegionAndQuit() throws Exception {
        Path dir = tmp.resolve("ledger");
        TradingCalendar cal = TradingCalendar.nyse(YEAR);
        try (SymbolMap symbols = SymbolMap.open(SymbolMap.fileIn(dir, YEAR), YEAR)) {
            symbols.resolveAll(List.of("AAPL", "MSFT", "SPY"));
        }
        try (TradeLedger trade = TradeLedger.open(dir, YEAR, 16, cal.totalMinutes(), SlotMatrix.Options.defaults())) {
            for (int m = 0; m < 60; m++) assertThat(trade.setTradeRef(0, m, meta(m + 1)).ok()).isTrue();
            for (int m = 60; m < 70; m++) assertThat(trade.markPending(SlotKind.TRADE_REF, 0, m).ok()).isTrue();

            socket = "quire-tui-it-" + ProcessHandle.current().pid();
            Path err = tmp.resolve("tui.err");
            String cmd = "'" + QUIRE + "' --dir '" + dir + "' windows tui --year " + YEAR
                    + " --refresh-ms 200 --now 2025-01-02T16:30:00Z 2>'" + err + "'";
            assertThat(tmux("new-session", "-d", "-s", "tui", "-x", "160", "-y", "50", cmd).exit).isZero();

            // The region line is drawn last: with it on screen the frame is whole (tmux can capture one mid-draw).
            String screen = waitFor(s -> s.contains("legend:") && s.contains("regions open"), "the legend and a whole first frame", err);
            assertThat(screen).contains("# Filled", "+ Pending", "- Empty", "x Cleared");
            assertThat(screen).contains("column trade_ref | zoom 1m | 2025-01-02 09:30 ..");
            String aapl = line(screen, ">AAPL");
            assertThat(cells(aapl)).startsWith("#".repeat(60) + "+".repeat(10) + "-");
            assertThat(cells(line(screen, " MSFT"))).startsWith("-".repeat(20));
            // Lag at 11:30 NY (minute 120 ended) over the day's active symbols (AAPL only: nothing of
            // MSFT or SPY is written): trade_ref's first not Filled is AAPL's minute 60, ended 10:31;
            // greeks_ref applies to no symbol here.
            assertThat(screen).contains("lag min 2025-01-02 all symbols: rf_rate_ref=119 trade_ref=59 quote_ref=119").contains("greeks_ref=0 ");

            // Slots written by this process show after a refresh.
            for (int m = 0; m < 10; m++) assertThat(trade.setTradeRef(1, m, meta(100 + m)).ok()).isTrue();
            waitFor(s -> cells(line(s, " MSFT")).startsWith("#".repeat(10) + "-"), "MSFT's 10 Filled minutes", err);
            // MSFT is now active that day: its minute 10 (ended 09:41) is the oldest not Filled.
            waitFor(s -> s.contains("all symbols: rf_rate_ref=119 trade_ref=109 "), "MSFT in the day's lag", err);

            keys("l");
            waitFor(s -> s.contains("cursor AAPL 2025-01-02 09:31"), "the cursor one minute right", err);
            keys("o");
            // Wait for the whole redraw (a capture can land mid-frame: header drawn, the rest not yet).
            screen = waitFor(s -> s.contains("zoom 5m") && s.contains("legend:") && s.contains("lag min "), "zoom 5m", err);
            assertThat(screen).contains("cursor AAPL 2025-01-02 09:30");
            assertThat(cells(line(screen, ">AAPL"))).startsWith("#".repeat(12) + "+".repeat(2) + "-");
            keys("o");
            waitFor(s -> s.contains("zoom 30m") && s.contains("2025-01-02 09:30 .. 2025-01-"), "zoom 30m", err);
            keys("i");
            waitFor(s -> s.contains("zoom 5m"), "zoom back in to 5m", err);
            keys("j");
            waitFor(s -> s.contains("cursor MSFT"), "the cursor on MSFT", err);
            keys("k");
            waitFor(s -> s.contains("cursor AAPL"), "the cursor back on AAPL", err);

            // Select 09:35..09:49 (three 5-minute cells) and make it a region of priority 7.
            keys("l", "v", "l", "l");
            waitFor(s -> s.contains("selecting 2025-01-02 09:35 .. 2025-01-02 09:49"), "the selection", err);
            keys("r");
            waitFor(s -> s.contains("priority 1..1000 for AAPL 2025-01-02 09:35 .. 2025-01-02 09:49 trade_ref:"), "the priority prompt", err);
            keys("7");
            tmux("send-keys", "-t", "tui", "Enter");
            waitFor(s -> s.contains("created region"), "the region created", err);
            PriorityRegionStore store = PriorityRegionStore.open(dir, cal, s -> OptionalInt.empty(), Clock.systemUTC());
            List<PriorityRegion> regions = store.list();
            assertThat(regions).hasSize(1);
            PriorityRegion r = regions.getFirst();
            assertThat(r.symbol()).isEqualTo("AAPL");
            assertThat(r.symbolId()).isZero();
            assertThat(r.priority()).isEqualTo(7);
            assertThat(r.columns()).containsExactly(SlotKind.TRADE_REF);
            assertThat(r.startTs()).isEqualTo(cal.minuteStart(5));
            assertThat(r.endTs()).isEqualTo(cal.minuteStart(19).plusSeconds(60));
            waitFor(s -> s.contains("regions open 1, backlog trade_ref"), "the region count in the status bar", err);

            keys("?");
            waitFor(s -> s.contains("quire windows tui - keys"), "the help overlay", err);
            keys("x"); // any key closes help
            waitFor(s -> !s.contains("quire windows tui - keys"), "help closed", err);

            keys("q");
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (tmux("has-session", "-t", "tui").exit == 0) {
                if (System.currentTimeMillis() > deadline) fail("q did not end the TUI; screen:\n" + capture());
                Thread.sleep(100);
            }
            assertThat(Files.readString(err)).isEmpty();
        }
    }

    static PayloadMeta meta(long id) { return new PayloadMeta(PayloadType.TRADE, id, 1, (int) id, System.nanoTime()); }

    /** The screen line starting with {@code prefix} (the symbol label), or "". */
    static String line(String screen, String prefix) {
        for (String l : screen.split("\n")) if (l.startsWith(prefix)) return l;
        return "";
    }

    /** The cells of a grid line: what follows the label column. */
    static String cells(String line) { return line.length() > 15 ? line.substring(15) : ""; }

    record Result(int exit, String out) {}

    Result tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tmux " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), out);
    }

    void keys(String... literal) throws Exception {
        for (String k : literal) assertThat(tmux("send-keys", "-t", "tui", "-l", k).exit).isZero();
    }

    String capture() throws Exception { return tmux("capture-pane", "-p", "-t", "tui").out; }

    String waitFor(Predicate<String> ok, String what, Path err) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        String s = "";
        while (System.currentTimeMillis() < deadline) {
            Result r = tmux("capture-pane", "-p", "-t", "tui");
            if (r.exit != 0) fail("the TUI ended before showing " + what + "; stderr:\n" + (Files.exists(err) ? Files.readString(err) : "") + "\n" + r.out);
            s = r.out;
            if (ok.test(s)) return s;
            Thread.sleep(100);
        }
        fail("the screen did not show " + what + " within " + WAIT_MS + " ms; it shows:\n" + s);
        return s;
    }
}
