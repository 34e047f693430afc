package io.quire.windows.engines;

import io.quire.core.QuireException;
import io.quire.windows.artifacts.ArtifactStore;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.ingest.FlatFileKind;
import io.quire.windows.ingest.FlatFileReader;
import io.quire.windows.ingest.FlatFilePartitioner;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.market.FlatFilePaths;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolLimits;
import io.quire.windows.symbols.SymbolMap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single binary of the seed ("Ingestion Engines & Orchestrator Integration"): builds or
 * opens the symbol map, both ledgers, every mapping file, the artifact store and the
 * priority-region store of a year under the ledger directory; hands those handles to the
 * engines; runs each engine on its own thread, restarting one that throws with exponential
 * backoff (counted in {@link #restarts}); pauses and resumes engines; and shuts down cleanly:
 * {@link #close} stops the loops between steps, waits for the steps in flight (each leaves no
 * Pending slot: it fills or releases its claims), then closes every file (a clean close of the
 * slot files, so the next open needs no repair scan).
 *
 * <p>A slot left Pending by a runner that died ({@code kill -9}) is claimed again by the next
 * run's scans; a slot half-written at the crash is repaired to Cleared by the slot layer on
 * open and refilled. One runner per ledger year: the symbol map's exclusive lock refuses a
 * second one (CONFLICT).
 */
public final class Runner implements AutoCloseable {
    /** The engines, in dependency order (the order they are started and listed). */
    public static final List<String> ENGINES = List.of("treasury", "ingest", "aggressor", "greeks", "aggregates");
    /** First backoff after an engine throws; doubled per consecutive failure up to {@link #BACKOFF_MAX_MS}. */
    public static final long BACKOFF_BASE_MS = 50;
    public static final long BACKOFF_MAX_MS = 5_000;
    /** Sleep of an idle engine before it scans again. */
    public static final long IDLE_SLEEP_MS = 20;
    /** How long {@link #close} waits for a step in flight. */
    public static final long STOP_WAIT_MS = 120_000;

    /**
     * @param symbols       the tickers to work on; empty = every ticker of the flat files
     * @param flatDir       root of the flat files ({@link FlatFilePaths} layout), or null
     * @param treasuryFiles Treasury par yield CSVs
     * @param engines       which of {@link #ENGINES} to run
     * @param batch         windows claimed per step by each window engine
     * @param claimHoldMs   see {@link WindowEngine#setClaimHoldMs} (0 in production)
     */
    public record Config(Path ledgerDir, LocalDate date, List<String> symbols, Path flatDir, List<Path> treasuryFiles, Set<String> engines,
                         int batch, double dividendYield, long claimHoldMs) {
        public Config {
            symbols = List.copyOf(symbols);
            treasuryFiles = List.copyOf(treasuryFiles);
            engines = Set.copyOf(engines);
            for (String e : engines) if (!ENGINES.contains(e)) throw QuireException.invalid("unknown engine '" + e + "'; engines are " + String.join(", ", ENGINES));
        }

        public Config withEngines(Set<String> e) { return new Config(ledgerDir, date, symbols, flatDir, treasuryFiles, e, batch, dividendYield, claimHoldMs); }

        public Config withBatch(int b) { return new Config(ledgerDir, date, symbols, flatDir, treasuryFiles, engines, b, dividendYield, claimHoldMs); }

        public Config withClaimHoldMs(long ms) { return new Config(ledgerDir, date, symbols, flatDir, treasuryFiles, engines, batch, dividendYield, ms); }

        public static Config of(Path ledgerDir, LocalDate date, List<String> symbols, Path flatDir, List<Path> treasury) {
            return new Config(ledgerDir, date, symbols, flatDir, treasury, Set.copyOf(ENGINES), WindowEngine.BATCH_DEFAULT, 0.0, 0);
        }
    }

    private final EngineContext ctx;
    private final List<AutoCloseable> handles;
    private final List<Engine> engines = new CopyOnWriteArrayList<>();
    private final Map<String, Supervised> supervised = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private boolean closed;

    private Runner(EngineContext ctx, List<AutoCloseable> handles) {
        this.ctx = ctx;
        this.handles = handles;
    }

    /** Opens (creating when missing) every file of the date's year and builds the configured engines. */
    public static Runner open(Config c) {
        int year = c.date().getYear();
        TradingCalendar cal = TradingCalendar.nyse(year);
        Session session = cal.sessionOn(c.date()).orElseThrow(() -> QuireException.invalid(c.date() + " has no NYSE session").withCode("no_session"));
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            SymbolMap symbols = add(opened, SymbolMap.open(SymbolMap.fileIn(c.ledgerDir(), year), year));
            List<FlatFileEngine.Input> inputs = inputs(c.flatDir(), c.date());
            List<String> tickers = c.symbols().isEmpty() ? tickersIn(inputs, cal) : c.symbols();
            Universe universe = Universe.resolve(symbols, tickers);
            TradeLedger trade = add(opened, TradeLedger.open(c.ledgerDir(), year, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults()));
            EnrichmentLedger enr = add(opened, EnrichmentLedger.open(c.ledgerDir(), year, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), SlotMatrix.Options.defaults()));
            MappingFiles maps = add(opened, MappingFiles.open(c.ledgerDir(), year));
            ArtifactStore artifacts = add(opened, ArtifactStore.open(c.ledgerDir(), year));
            PriorityRegionStore regions = PriorityRegionStore.open(c.ledgerDir(), cal, symbols::idOf, Clock.systemUTC());
            EngineContext ctx = new EngineContext(cal, symbols, trade, enr, maps, artifacts, regions, universe, session);
            Runner r = new Runner(ctx, opened);
            for (String e : ENGINES) {
                if (!c.engines().contains(e)) continue;
                r.add(switch (e) {
                    case "treasury" -> new TreasuryEngine(ctx, c.treasuryFiles());
                    case "ingest" -> new FlatFileEngine(ctx, inputs);
                    case "aggressor" -> new AggressorEngine(ctx, c.batch(), AggressorEngine.STALENESS_NS_DEFAULT);
                    case "greeks" -> new GreeksEngine(ctx, c.batch(), c.dividendYield(), GreeksEngine.STALENESS_NS_DEFAULT);
                    case "aggregates" -> new AggregatesEngine(ctx, c.batch());
                    default -> throw new IllegalStateException("bad math in Runner: engine " + e);
                });
            }
            for (Engine e : r.engines) if (e instanceof WindowEngine w) w.setClaimHoldMs(c.claimHoldMs());
            return r;
        } catch (Throwable t) {
            closeAll(opened, t);
            throw t;
        }
    }

    /** The flat files of {@code date} under {@code flatDir} that exist, stocks before options, trades before quotes. */
    public static List<FlatFileEngine.Input> inputs(Path flatDir, LocalDate date) {
        List<FlatFileEngine.Input> out = new ArrayList<>();
        if (flatDir == null) return out;
        for (var in : List.of(new FlatFileEngine.Input(FlatFilePaths.stockTrades(flatDir, date), FlatFileKind.TRADES, false),
                new FlatFileEngine.Input(FlatFilePaths.stockQuotes(flatDir, date), FlatFileKind.QUOTES, false),
                new FlatFileEngine.Input(FlatFilePaths.optionTrades(flatDir, date), FlatFileKind.TRADES, true),
                new FlatFileEngine.Input(FlatFilePaths.optionQuotes(flatDir, date), FlatFileKind.QUOTES, true))) {
            if (Files.isRegularFile(in.path())) out.add(in);
        }
        return out;
    }

    /** Every ticker with a row in a session minute of the files (one streaming pass per file). */
    static List<String> tickersIn(List<FlatFileEngine.Input> inputs, TradingCalendar cal) {
        Set<String> out = new LinkedHashSet<>();
        for (var in : inputs) {
            try (FlatFileReader r = FlatFileReader.open(in.path(), in.kind())) {
                FlatFilePartitioner.<FlatRow>run(r, cal, (t, m, rows) -> out.add(t));
            }
        }
        return new ArrayList<>(out);
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T h) {
        opened.add(h);
        return h;
    }

    public EngineContext context() { return ctx; }

    public List<Engine> engines() { return List.copyOf(engines); }

    public Engine engine(String name) {
        for (Engine e : engines) if (e.name().equals(name)) return e;
        throw new QuireException(io.quire.core.ErrorKind.NOT_FOUND, "no engine '" + name + "' in this runner");
    }

    /** Adds an engine before {@link #start} (the runner's own, or one a caller brings). */
    public synchronized void add(Engine e) {
        if (!supervised.isEmpty()) throw new IllegalStateException("engines are added before start");
        engines.add(e);
    }

    /** Starts one supervised thread per engine. */
    public synchronized void start() {
        if (!supervised.isEmpty()) return;
        for (Engine e : engines) {
            Supervised s = new Supervised(e);
            supervised.put(e.name(), s);
            s.thread.start();
        }
    }

    public void pause(String engine) { sup(engine).paused = true; }

    public void resume(String engine) {
        Supervised s = sup(engine);
        s.paused = false;
        java.util.concurrent.locks.LockSupport.unpark(s.thread);
    }

    public boolean paused(String engine) { return sup(engine).paused; }

    /** Times the engine threw and was restarted. */
    public long restarts(String engine) { return sup(engine).restarts.get(); }

    /** Sum of windows processed by every engine (a progress counter). */
    public long progress() {
        long n = 0;
        for (Engine e : engines) n += e.stats().windowsProcessed.get();
        return n;
    }

    /**
     * True when every running engine has done a full step that found nothing to do since the last
     * write by any engine (paused engines are ignored): nothing is left that the inputs allow.
     */
    public boolean idle() {
        long p = progress();
        for (Supervised s : supervised.values()) if (!s.paused && s.idleAt != p) return false;
        return !supervised.isEmpty();
    }

    /** Waits until {@link #idle} (checked twice, 2 idle sleeps apart) or the timeout; returns whether idle. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (idle()) {
                Thread.sleep(IDLE_SLEEP_MS * 2);
                if (idle()) return true;
            }
            Thread.sleep(IDLE_SLEEP_MS);
        }
        return false;
    }

    /** Stops every engine between steps, waits for the steps in flight, closes every file. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopping = true;
        for (Supervised s : supervised.values()) java.util.concurrent.locks.LockSupport.unpark(s.thread);
        for (Supervised s : supervised.values()) {
            try {
                s.thread.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (s.thread.isAlive()) System.err.println("quire windows: engine " + s.engine.name() + " did not stop within " + STOP_WAIT_MS + " ms");
        }
        RuntimeException err = new RuntimeException("closing the runner");
        closeAll(handles, err);
        if (err.getSuppressed().length > 0) throw (RuntimeException) err.getSuppressed()[0];
    }

    private static void closeAll(List<AutoCloseable> hs, Throwable into) {
        for (AutoCloseable h : hs.reversed()) {
            try {
                h.close();
            } catch (Throwable t) {
                into.addSuppressed(t);
            }
        }
    }

    private Supervised sup(String engine) {
        Supervised s = supervised.get(engine);
        if (s == null) throw new QuireException(io.quire.core.ErrorKind.NOT_FOUND, "no running engine '" + engine + "'");
        return s;
    }

    /** The loop around one engine: step, idle sleep, pause, restart with backoff on a throw. */
    private final class Supervised implements Runnable {
        final Engine engine;
        final Thread thread;
        final AtomicLong restarts = new AtomicLong();
        volatile boolean paused;
        volatile long idleAt = -1;

        Supervised(Engine engine) {
            this.engine = engine;
            this.thread = Thread.ofPlatform().name("quire-engine-" + engine.name()).daemon(false).unstarted(this);
        }

        @Override
        public void run() {
            int failures = 0;
            while (!stopping) {
                if (paused) {
                    java.util.concurrent.locks.LockSupport.parkNanos(IDLE_SLEEP_MS * 1_000_000L);
                    continue;
                }
                long before = progress();
                try {
                    int n = engine.step(() -> stopping);
                    failures = 0;
                    if (n == 0) {
                        idleAt = before;
                        java.util.concurrent.locks.LockSupport.parkNanos(IDLE_SLEEP_MS * 1_000_000L);
                    } else {
                        idleAt = -1;
                    }
                } catch (Throwable t) {
                    idleAt = -1;
                    restarts.incrementAndGet();
                    failures++;
                    long backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(failures - 1, 20));
                    System.err.println("quire windows: engine " + engine.name() + " failed (restart " + restarts.get() + ", retry in " + backoff + " ms): " + t);
                    java.util.concurrent.locks.LockSupport.parkNanos(backoff * 1_000_000L);
                }
            }
        }
    }
}
