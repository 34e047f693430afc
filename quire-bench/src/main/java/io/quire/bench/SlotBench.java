package io.quire.bench;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.slots.TradeRow;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * W8: the windows slot matrix ({@code io.quire.windows.slots}) against SQLite and a plain on-heap {@code long[]},
 * in one run. One instance per run: {@link #open} creates and opens the full-year 10,000-symbol pair (trade +
 * enrichment) and keeps the last open trade ledger for the other measurements; the setter walk fills the rows that
 * {@link #rowQuire} and {@link #scanQuire} then read. Figures only; nothing here asserts a speed.
 *
 * <p>Grid: {@link Config#w8Symbols()} symbols × every market minute of {@value #YEAR} (NYSE calendar), walked in layout
 * order (symbol-major, minute-minor), column {@code trade_ref}. SQLite: table {@code slots(symbol, minute, payload_id,
 * version)} with a unique index on (symbol, minute), {@link Config#w8SqliteRows()} rows of symbol 0, journal_mode=WAL,
 * synchronous=NORMAL (no fsync per commit: like the mapped matrix, a committed update survives a process crash, not a
 * power loss), one autocommit statement per update.
 */
final class SlotBench implements AutoCloseable {
    static final String HEAP = "long-array", MEM = "mem-read";
    static final int YEAR = 2025;
    static final int SYMBOLS_CAPACITY = 10_000;
    /** Setter timer: one nanoTime pair per this many setters (the recorded latency is the mean of the batch). */
    static final int SET_BATCH = 4096;
    /** getTradeRow timer batch. */
    static final int ROW_BATCH = 256;
    /** SQLite point-select / CAS timer batch. */
    static final int SQL_BATCH = 64;
    /** Contended CAS: hot slots (symbol 0, minutes 0..HOT-1) and threads. */
    static final int HOT = 4, CAS_THREADS = 2;
    private static final int TOUCH_SYMBOL_BASE = 100;

    private final Config cfg;
    private final Path dir;
    private final PrintStream log;
    final int minutes;
    private TradeLedger trade;
    private EnrichmentLedger enrichment;
    private Connection sql;
    private long[] heap;
    private long quireVersion;   // every slot of the walked grid is at this version
    private long sqlVersion;
    private long heapVersion;
    long sink;                   // keeps reads from being optimised away

    SlotBench(Config cfg, Path dir, PrintStream log) {
        this.cfg = cfg;
        this.dir = dir;
        this.log = log;
        this.minutes = TradingCalendar.nyse(YEAR).totalMinutes();
    }

    int symbols() { return cfg.w8Symbols(); }

    String grid() {
        return String.format(Locale.ROOT, "%d symbols x %,d minutes of %d, trade_ref", symbols(), minutes, YEAR);
    }

    // ------------------------------------------------------------------------------- open

    /** Creates the pair (untimed), then times {@link Config#reopens()} opens of both files; keeps the last open. */
    Result open(String settings) throws IOException {
        Path root = dir.resolve("quire");
        SlotMatrix.Options create = SlotMatrix.Options.defaults();
        TradeLedger.open(root, YEAR, SYMBOLS_CAPACITY, minutes, create).close();
        EnrichmentLedger.open(root, YEAR, SYMBOLS_CAPACITY, minutes, create).close();
        long bytes = Files.size(SlotMatrix.pathFor(root, YEAR, LedgerKind.TRADE)) + Files.size(SlotMatrix.pathFor(root, YEAR, LedgerKind.ENRICHMENT));
        SlotMatrix.Options existing = create.withCreate(false);
        long[] before = rss();
        LatencyRecorder lat = new LatencyRecorder();
        long total = 0;
        for (int i = 0; i < cfg.reopens(); i++) {
            long t = System.nanoTime();
            TradeLedger tl = TradeLedger.open(root, YEAR, SYMBOLS_CAPACITY, minutes, existing);
            EnrichmentLedger el;
            try {
                el = EnrichmentLedger.open(root, YEAR, SYMBOLS_CAPACITY, minutes, existing);
            } catch (RuntimeException e) {
                tl.close();
                throw e;
            }
            long d = System.nanoTime() - t;
            lat.record(d);
            total += d;
            log.printf(Locale.ROOT, "#   W8 quire: open %d of the pair took %.2f ms%n", i + 1, d / 1e6);
            if (i == cfg.reopens() - 1) {
                trade = tl;
                enrichment = el;
            } else {
                tl.close();
                el.close();
            }
        }
        long[] opened = rss();
        // Touch a known amount through the mapping: reserve (untimed, written with FileChannel.write, not mapped),
        // then set trade_ref on `touch` minutes of each symbol: touched rows are contiguous, so pages = bytes / 4096.
        int touchSymbols = cfg.shortMode() ? 2 : 4;
        int touchMinutes = Math.min(minutes, cfg.shortMode() ? 10_000 : 20_000);
        PayloadMeta meta = new PayloadMeta(PayloadType.TRADE, 1, 1, 0, 0);
        for (int s = 0; s < touchSymbols; s++) ok(trade.setTradeRef(TOUCH_SYMBOL_BASE + s, 0, meta, 0));
        long[] reserved = rss();
        for (int s = 0; s < touchSymbols; s++) {
            for (int m = 1; m < touchMinutes; m++) ok(trade.setTradeRef(TOUCH_SYMBOL_BASE + s, m, meta, 0));
        }
        long[] touched = rss();
        double touchedMiB = (double) touchSymbols * touchMinutes * LedgerKind.TRADE.rowBytes() / (1 << 20);
        String note = String.format(Locale.ROOT,
                "files %,d GiB sparse (mapped whole); resident VmRSS/RssFile before the opens %s; after the opens %s; "
                        + "after reserving %d symbols %s; after setting trade_ref on %d symbols x %,d minutes (%.1f MiB of rows touched) %s",
                bytes >> 30, mib(before), delta(opened, before), touchSymbols, delta(reserved, opened), touchSymbols, touchMinutes,
                touchedMiB, delta(touched, reserved));
        return Result.ok("W8-open", Harness.QUIRE, cfg.reopens() / (total / 1e9), lat, "open of the pair", settings).withNote(note);
    }

    /** {VmRSS, RssFile} in kB from /proc/self/status, -1 when unknown. */
    static long[] rss() {
        long[] r = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) r[0] = kb(line);
                else if (line.startsWith("RssFile:")) r[1] = kb(line);
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return r;
    }

    private static long kb(String line) { return Long.parseLong(line.replaceAll("[^0-9]", "")); }

    private static String mib(long[] r) {
        return String.format(Locale.ROOT, "%.1f/%.1f MiB", r[0] / 1024.0, r[1] / 1024.0);
    }

    private static String delta(long[] now, long[] then) {
        return String.format(Locale.ROOT, "%+.1f/%+.1f MiB", (now[0] - then[0]) / 1024.0, (now[1] - then[1]) / 1024.0);
    }

    private TradeLedger trade() {
        if (trade == null) throw new IllegalStateException("the W8 slot files are not open: see the W8-open line");
        return trade;
    }

    private static void ok(SetResult r) {
        if (!(r instanceof SetResult.Ok)) throw new IllegalStateException("setter refused: " + r);
    }

    // ----------------------------------------------------------------------------- setter

    /** A timed walk in whole passes: warm-up passes for warmupMs, then measured passes until measureMs is over. */
    private interface Pass { void run(LatencyRecorder lat); }

    private Result passes(String system, long opsPerPass, String unit, String settings, Pass pass) {
        pass.run(new LatencyRecorder()); // the first pass reserves / faults in; never measured
        long warmEnd = System.nanoTime() + cfg.warmupMs() * 1_000_000L;
        while (System.nanoTime() < warmEnd) pass.run(new LatencyRecorder());
        LatencyRecorder lat = new LatencyRecorder();
        long t0 = System.nanoTime(), end = t0 + cfg.measureMs() * 1_000_000L, n = 0, t;
        do {
            pass.run(lat);
            n += opsPerPass;
            t = System.nanoTime();
        } while (t < end);
        return Result.ok("W8-set", system, n / ((t - t0) / 1e9), lat, unit, settings);
    }

    Result setQuire(String settings) {
        TradeLedger t = trade();
        int syms = symbols();
        return passes(Harness.QUIRE, (long) syms * minutes, "set (mean of " + SET_BATCH + ")", settings, lat -> {
            long v = quireVersion;
            PayloadMeta meta = new PayloadMeta(PayloadType.TRADE, 1 + (v & 0xFFFF), v + 1, (int) v, v);
            int k = 0;
            long s0 = System.nanoTime();
            for (int s = 0; s < syms; s++) {
                for (int m = 0; m < minutes; m++) {
                    SetResult r = t.setTradeRef(s, m, meta, v);
                    if (!(r instanceof SetResult.Ok)) throw new IllegalStateException("setter refused: " + r);
                    if (++k == SET_BATCH) {
                        long e = System.nanoTime();
                        lat.record((e - s0) / SET_BATCH);
                        s0 = e;
                        k = 0;
                    }
                }
            }
            quireVersion = v + 1;
        });
    }

    Result setHeap(String settings) {
        int syms = symbols();
        heap = new long[syms * minutes * 16];
        int slot = SlotKind.TRADE_REF.index();
        return passes(HEAP, (long) syms * minutes, "set (mean of " + SET_BATCH + ")", settings, lat -> {
            long[] a = heap;
            long v = heapVersion;
            long payload = 1 + (v & 0xFFFF);
            int k = 0;
            long s0 = System.nanoTime();
            for (int s = 0; s < syms; s++) {
                for (int m = 0; m < minutes; m++) {
                    int i = ((s * minutes + m) * 4 + slot) * 4;
                    if (a[i + 2] != v) throw new IllegalStateException("long[] version mismatch at " + i);
                    a[i + 1] = payload;
                    a[i + 2] = v + 1;
                    a[i + 3] = v;
                    a[i] += 2;
                    if (++k == SET_BATCH) {
                        long e = System.nanoTime();
                        lat.record((e - s0) / SET_BATCH);
                        s0 = e;
                        k = 0;
                    }
                }
            }
            heapVersion = v + 1;
        });
    }

    static String sqliteSettings() {
        return "WAL, synchronous=NORMAL (no fsync per commit), autocommit UPDATE ... WHERE symbol=? AND minute=? AND version=? "
                + "on slots(symbol, minute, payload_id, version) with a unique index on (symbol, minute)";
    }

    private Connection sqlConnect() throws SQLException, IOException {
        Files.createDirectories(dir.resolve("sqlite"));
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sqlite").resolve("slots.db").toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=120000");
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                if (!rs.next() || !rs.getString(1).equalsIgnoreCase("wal")) throw new SQLException("journal_mode=WAL refused");
            }
            s.execute("PRAGMA synchronous=NORMAL");
        }
        return c;
    }

    Result setSqlite(String settings) throws Exception {
        int rows = cfg.w8SqliteRows();
        sql = sqlConnect();
        try (Statement s = sql.createStatement()) {
            s.execute("CREATE TABLE slots(symbol INTEGER NOT NULL, minute INTEGER NOT NULL, payload_id INTEGER NOT NULL, version INTEGER NOT NULL)");
            s.execute("CREATE UNIQUE INDEX slots_symbol_minute ON slots(symbol, minute)");
        }
        sql.setAutoCommit(false);
        try (PreparedStatement ins = sql.prepareStatement("INSERT INTO slots VALUES (0, ?, 0, 0)")) {
            for (int m = 0; m < rows; m++) {
                ins.setInt(1, m);
                ins.addBatch();
            }
            ins.executeBatch();
        }
        sql.commit();
        sql.setAutoCommit(true);
        PreparedStatement up = sql.prepareStatement("UPDATE slots SET payload_id=?, version=version+1 WHERE symbol=? AND minute=? AND version=?");
        try {
            return passes(Harness.SQLITE, rows, "update (mean of " + SQL_BATCH + ")", settings, lat -> {
                long v = sqlVersion;
                try {
                    int k = 0;
                    long s0 = System.nanoTime();
                    for (int m = 0; m < rows; m++) {
                        up.setLong(1, 1 + (v & 0xFFFF));
                        up.setInt(2, 0);
                        up.setInt(3, m);
                        up.setLong(4, v);
                        if (up.executeUpdate() != 1) throw new IllegalStateException("sqlite update of minute " + m + " at version " + v + " changed no row");
                        if (++k == SQL_BATCH) {
                            long e = System.nanoTime();
                            lat.record((e - s0) / SQL_BATCH);
                            s0 = e;
                            k = 0;
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                sqlVersion = v + 1;
            }).withNote(String.format(Locale.ROOT, "%,d rows (symbol 0, minutes 0..%d): a smaller table than Quire's grid", rows, rows - 1));
        } finally {
            up.close();
        }
    }

    // ------------------------------------------------------------------------ contended CAS

    /** One compare-and-swap attempt by thread {@code tid} on hot slot {@code k}; true when it won. */
    private interface Attempt { boolean run(int tid, int k) throws Exception; }

    private Result contended(String system, String unit, String settings, int batch, Attempt attempt) throws Exception {
        long[] wins = new long[CAS_THREADS * 16], tries = new long[CAS_THREADS * 16];
        long[][] snap = new long[2][2];
        LatencyRecorder[] recs = new LatencyRecorder[CAS_THREADS];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        long[] window = {Long.MAX_VALUE, Long.MAX_VALUE};
        boolean[] stop = {false};
        Object lock = new Object();
        Thread[] threads = new Thread[CAS_THREADS];
        for (int i = 0; i < CAS_THREADS; i++) {
            final int tid = i;
            recs[i] = new LatencyRecorder();
            threads[i] = Thread.ofPlatform().daemon().name("W8-cas-" + system + "-" + i).start(() -> {
                long w = 0, n = 0;
                try {
                    go.await();
                    while (true) {
                        long s0 = System.nanoTime();
                        for (int j = 0; j < batch; j++) {
                            if (attempt.run(tid, (int) (n & (HOT - 1)))) w++;
                            n++;
                        }
                        long e = System.nanoTime();
                        synchronized (lock) {
                            wins[tid * 16] = w;
                            tries[tid * 16] = n;
                            if (e >= window[0] && e <= window[1]) recs[tid].record((e - s0) / batch);
                            if (stop[0]) return;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }
        go.countDown();
        Thread.sleep(cfg.warmupMs());
        long t0;
        synchronized (lock) {
            t0 = System.nanoTime();
            window[0] = t0;
            snap[0][0] = wins[0] + wins[16];
            snap[0][1] = tries[0] + tries[16];
        }
        Thread.sleep(cfg.measureMs());
        long t1;
        synchronized (lock) {
            t1 = System.nanoTime();
            window[1] = t1;
            snap[1][0] = wins[0] + wins[16];
            snap[1][1] = tries[0] + tries[16];
            stop[0] = true;
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) {
            if (failure.get() instanceof Exception e) throw e;
            throw new IllegalStateException(failure.get());
        }
        LatencyRecorder all = new LatencyRecorder();
        for (LatencyRecorder r : recs) all.merge(r);
        long won = snap[1][0] - snap[0][0], tried = snap[1][1] - snap[0][1];
        double secs = (t1 - t0) / 1e9;
        return Result.ok("W8-cas2", system, won / secs, all, unit, settings)
                .withNote(String.format(Locale.ROOT, "ops_per_s = successful swaps; %,.0f attempts/s, %.1f %% lost to the other thread",
                        tried / secs, tried == 0 ? 0 : 100.0 * (tried - won) / tried));
    }

    Result casQuire(String settings) throws Exception {
        TradeLedger t = trade();
        long[][] guess = new long[CAS_THREADS][HOT];
        for (int i = 0; i < CAS_THREADS; i++) for (int k = 0; k < HOT; k++) guess[i][k] = t.read(SlotKind.TRADE_REF, 0, k).version();
        return contended(Harness.QUIRE, "attempt (mean of " + ROW_BATCH + ")", settings, ROW_BATCH, (tid, k) -> {
            long g = guess[tid][k];
            SetResult r = t.setTradeRef(0, k, new PayloadMeta(PayloadType.TRADE, 1 + (g & 0xFFFF), g + 1, 0, g), g);
            if (r instanceof SetResult.Ok) {
                guess[tid][k] = g + 1;
                return true;
            }
            guess[tid][k] = r.slot().version();
            return false;
        });
    }

    Result casHeap(String settings) throws Exception {
        AtomicLongArray versions = new AtomicLongArray(HOT);
        long[][] guess = new long[CAS_THREADS][HOT];
        return contended(HEAP, "attempt (mean of " + ROW_BATCH + ")", settings, ROW_BATCH, (tid, k) -> {
            long g = guess[tid][k];
            if (versions.compareAndSet(k, g, g + 1)) {
                guess[tid][k] = g + 1;
                return true;
            }
            guess[tid][k] = versions.get(k);
            return false;
        });
    }

    Result casSqlite(String settings) throws Exception {
        if (sql == null) throw new IllegalStateException("the W8 SQLite table is not there: see the W8-set sqlite line");
        Connection[] cs = new Connection[CAS_THREADS];
        PreparedStatement[] ups = new PreparedStatement[CAS_THREADS], sels = new PreparedStatement[CAS_THREADS];
        long[][] guess = new long[CAS_THREADS][HOT];
        try {
            for (int i = 0; i < CAS_THREADS; i++) {
                cs[i] = sqlConnect();
                ups[i] = cs[i].prepareStatement("UPDATE slots SET payload_id=?, version=version+1 WHERE symbol=0 AND minute=? AND version=?");
                sels[i] = cs[i].prepareStatement("SELECT version FROM slots WHERE symbol=0 AND minute=?");
                for (int k = 0; k < HOT; k++) guess[i][k] = selectVersion(sels[i], k);
            }
            return contended(Harness.SQLITE, "attempt (mean of " + SQL_BATCH + ")", settings, SQL_BATCH, (tid, k) -> {
                long g = guess[tid][k];
                PreparedStatement up = ups[tid];
                up.setLong(1, 1 + (g & 0xFFFF));
                up.setInt(2, k);
                up.setLong(3, g);
                if (up.executeUpdate() == 1) {
                    guess[tid][k] = g + 1;
                    return true;
                }
                guess[tid][k] = selectVersion(sels[tid], k);
                return false;
            });
        } finally {
            for (int i = 0; i < CAS_THREADS; i++) {
                if (cs[i] != null) cs[i].close();
            }
        }
    }

    private static long selectVersion(PreparedStatement sel, int minute) throws SQLException {
        sel.setInt(1, minute);
        try (ResultSet rs = sel.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("no sqlite row for minute " + minute);
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------------------- getTradeRow

    /** Random (symbol, minute) pairs over the walked grid, fixed seed. */
    private int[][] randomCells(int syms, int mins, int n) {
        SplittableRandom r = new SplittableRandom(8);
        int[][] c = new int[2][n];
        for (int i = 0; i < n; i++) {
            c[0][i] = r.nextInt(syms);
            c[1][i] = r.nextInt(mins);
        }
        return c;
    }

    private interface Reads { long run(int from, int count); }

    private Result timedReads(String system, int batch, int cells, String unit, String settings, Reads reads) {
        long warmEnd = System.nanoTime() + cfg.warmupMs() * 1_000_000L;
        int i = 0;
        while (System.nanoTime() < warmEnd) {
            sink += reads.run(i, batch);
            i = (i + batch) % cells;
        }
        LatencyRecorder lat = new LatencyRecorder();
        long t0 = System.nanoTime(), end = t0 + cfg.measureMs() * 1_000_000L, t = t0, n = 0;
        while (t < end) {
            sink += reads.run(i, batch);
            i = (i + batch) % cells;
            long e = System.nanoTime();
            lat.record((e - t) / batch);
            n += batch;
            t = e;
        }
        return Result.ok("W8-row", system, n / ((t - t0) / 1e9), lat, unit, settings);
    }

    private static final int CELLS = 1 << 16;

    Result rowQuire(String settings) {
        TradeLedger t = trade();
        requireWalked();
        int[][] c = randomCells(symbols(), minutes, CELLS);
        return timedReads(Harness.QUIRE, ROW_BATCH, CELLS, "getTradeRow (mean of " + ROW_BATCH + ")", settings, (from, count) -> {
            long s = 0;
            for (int j = from; j < from + count; j++) {
                TradeRow row = t.getTradeRow(c[0][j], c[1][j]);
                s += row.tradeRef().version();
            }
            return s;
        });
    }

    Result rowHeap(String settings) {
        if (heap == null) throw new IllegalStateException("the W8 long[] is not there: see the W8-set long-array line");
        long[] a = heap;
        int[][] c = randomCells(symbols(), minutes, CELLS);
        return timedReads(HEAP, ROW_BATCH, CELLS, "row of 16 longs (mean of " + ROW_BATCH + ")", settings, (from, count) -> {
            long s = 0;
            for (int j = from; j < from + count; j++) {
                int base = (c[0][j] * minutes + c[1][j]) * 16;
                for (int x = 0; x < 16; x++) s += a[base + x];
            }
            return s;
        });
    }

    Result rowSqlite(String settings) throws SQLException {
        if (sql == null) throw new IllegalStateException("the W8 SQLite table is not there: see the W8-set sqlite line");
        int rows = cfg.w8SqliteRows();
        int[][] c = randomCells(1, rows, CELLS);
        try (PreparedStatement sel = sql.prepareStatement("SELECT payload_id, version FROM slots WHERE symbol=? AND minute=?")) {
            return timedReads(Harness.SQLITE, SQL_BATCH, CELLS, "point SELECT (mean of " + SQL_BATCH + ")", settings, (from, count) -> {
                long s = 0;
                try {
                    for (int j = from; j < from + count; j++) {
                        sel.setInt(1, c[0][j]);
                        sel.setInt(2, c[1][j]);
                        try (ResultSet rs = sel.executeQuery()) {
                            if (!rs.next()) throw new IllegalStateException("no sqlite row for minute " + c[1][j]);
                            s += rs.getLong(1) + rs.getLong(2);
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return s;
            }).withNote("one row per (symbol, minute) with one column's payload_id and version; " + rows + " rows");
        }
    }

    private void requireWalked() {
        for (int s = 0; s < symbols(); s++) {
            if (!trade.matrix().isReserved(s)) throw new IllegalStateException("symbol " + s + " was never written: see the W8-set quire line");
        }
    }

    // ---------------------------------------------------------------------------- scans

    long scanBytes() { return (long) symbols() * minutes * LedgerKind.TRADE.rowBytes(); }

    private interface Chunk { long run(int i); }

    /** Time-boxed repetition of {@code chunks} units of {@code bytesPerChunk}; ops_per_s is bytes per second. */
    private Result bandwidth(String system, int chunks, long bytesPerChunk, String unit, String settings, Chunk chunk) {
        long warmEnd = System.nanoTime() + cfg.warmupMs() * 1_000_000L;
        int i = 0;
        do {
            sink += chunk.run(i);
            i = (i + 1) % chunks;
        } while (System.nanoTime() < warmEnd);
        LatencyRecorder lat = new LatencyRecorder();
        long t0 = System.nanoTime(), end = t0 + cfg.measureMs() * 1_000_000L, t = t0, bytes = 0;
        do {
            sink += chunk.run(i);
            i = (i + 1) % chunks;
            long e = System.nanoTime();
            lat.record(e - t);
            bytes += bytesPerChunk;
            t = e;
        } while (t < end);
        double bps = bytes / ((t - t0) / 1e9);
        return Result.ok("W8-scan", system, bps, lat, unit, settings).withNote(String.format(Locale.ROOT,
                "ops_per_s is bytes/s: %,.0f MiB/s, %,.0f rows/s of %d B", bps / (1 << 20), bps / LedgerKind.TRADE.rowBytes(), LedgerKind.TRADE.rowBytes()));
    }

    Result scanQuire(String settings) {
        TradeLedger t = trade();
        requireWalked();
        long[] acc = new long[1];
        return bandwidth(Harness.QUIRE, symbols(), (long) minutes * LedgerKind.TRADE.rowBytes(), "iterSymbol over a year", settings, s -> {
            t.iterSymbol(s, 0, minutes, row -> {
                acc[0] += row.version(SlotKind.TRADE_REF);
                return true;
            });
            return acc[0];
        });
    }

    Result scanMemory(String settings) {
        long bytesPerChunk = (long) minutes * LedgerKind.TRADE.rowBytes();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(scanBytes(), 64);
            for (long o = 0; o < seg.byteSize(); o += 8) seg.set(ValueLayout.JAVA_LONG, o, o);
            return bandwidth(MEM, symbols(), bytesPerChunk, "sum of " + bytesPerChunk + " B", settings, c -> {
                long s = 0;
                long from = c * bytesPerChunk, to = from + bytesPerChunk;
                for (long o = from; o < to; o += 8) s += seg.get(ValueLayout.JAVA_LONG, o);
                return s;
            });
        }
    }

    @Override
    public void close() {
        heap = null;
        if (trade != null) trade.close();
        if (enrichment != null) enrichment.close();
        trade = null;
        enrichment = null;
        if (sql != null) {
            try {
                sql.close();
            } catch (SQLException e) {
                log.println("# close failed: " + e);
            }
            sql = null;
        }
    }
}
