package io.quire.windows.slots;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.quire.windows.slots.SlotTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Files larger than 2 GiB stay sparse; a full disk is an IO error, never SIGBUS. */
class DiskTest {
    static final int FULL_YEAR_MINUTES = 252 * 390;

    @TempDir Path dir;

    /** Runs a command; its stdout, or null when it fails. */
    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) { p.destroyForcibly(); return null; }
        return p.exitValue() == 0 ? out : null;
    }

    /** Allocated bytes of a file (st_blocks * 512) via stat(1), or -1 if unavailable. */
    private static long allocatedBytes(Path f) throws Exception {
        String out = run("stat", "-c", "%b %B", f.toString());
        if (out == null) return -1;
        String[] p = out.trim().split("\\s+");
        return Long.parseLong(p[0]) * Long.parseLong(p[1]);
    }

    /**
     * Invariants checked: a 10,000-symbol full-year trade file (~126 GB) is created and mapped;
     * slots at the far end are written and read back; only the touched symbols' rows are
     * allocated on disk; reopening finds them.
     */
    @Test
    void shouldMapAFileLargerThan2GiBSparse() throws Exception {
        Path f = SlotMatrix.pathFor(dir, YEAR, LedgerKind.TRADE);
        int last = SlotLimits.SYMBOLS_CAPACITY_MAX - 1;
        try (TradeLedger l = TradeLedger.open(dir, YEAR, SlotLimits.SYMBOLS_CAPACITY_MAX, FULL_YEAR_MINUTES, SlotMatrix.Options.defaults())) {
            assertThat(Files.size(f)).isGreaterThan(100L << 30);
            assertThat(l.setAggressorRef(last, FULL_YEAR_MINUTES - 1, meta(PayloadType.AGGRESSOR, 1, 1)).ok()).isTrue();
            assertThat(l.setTradeRef(last, 0, meta(PayloadType.TRADE, 2, 1)).ok()).isTrue();
            assertThat(l.setQuoteRef(5_000, 40_000, meta(PayloadType.QUOTE, 3, 1)).ok()).isTrue();
            assertThat(l.read(SlotKind.TRADE_REF, 7_777, 50_000).status()).as("an untouched hole reads Empty").isEqualTo(SlotStatus.EMPTY);
        }
        long perSymbol = (long) FULL_YEAR_MINUTES * LedgerKind.TRADE.rowBytes();
        long allocated = allocatedBytes(f);
        assumeThat(allocated).as("stat(1) unavailable: allocation not checked").isGreaterThanOrEqualTo(0);
        assertThat(allocated).as("two symbols reserved of %d bytes each", perSymbol).isBetween(2 * perSymbol, 2 * perSymbol + (1 << 20));
        try (TradeLedger l = TradeLedger.open(dir, YEAR, SlotLimits.SYMBOLS_CAPACITY_MAX, FULL_YEAR_MINUTES, SlotMatrix.Options.defaults())) {
            assertThat(l.getTradeRow(last, FULL_YEAR_MINUTES - 1).aggressorRef().payloadId()).isEqualTo(1);
            assertThat(l.matrix().isReserved(last)).isTrue();
            assertThat(l.matrix().isReserved(7_777)).isFalse();
        }
    }

    /**
     * Invariants checked: on a 4 MiB tmpfs holding a 16 MiB sparse slot file, filling new
     * symbols eventually fails with QuireException IO naming the disk (the JVM survives — an
     * unreserved store into a hole would have been SIGBUS); the refused slot stays Empty; every
     * earlier write still reads back; writes to already reserved symbols keep working on the
     * full disk.
     */
    @Test
    void shouldFailWithIoNotSigbusWhenTheDiskIsFull() throws Exception {
        assumeThat(System.getProperty("os.name")).as("tmpfs test needs Linux").startsWithIgnoringCase("linux");
        String uid = run("id", "-u");
        assumeThat(uid == null ? "" : uid.trim()).as("mounting a tmpfs needs root; skipping the disk-full test").isEqualTo("0");
        Path mnt = dir.resolve("full");
        Files.createDirectories(mnt);
        assumeThat(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt.toString())).as("cannot mount a tmpfs at %s; skipping", mnt).isNotNull();
        try {
            int symbols = 64;
            int minutes = 2_000; // 256,000 bytes per symbol: 16 MiB of address space on a 4 MiB disk
            QuireException failure = null;
            int filled = 0;
            try (TradeLedger l = new TradeLedger(open(mnt.resolve("t.slots"), LedgerKind.TRADE, symbols, minutes))) {
                for (int s = 0; s < symbols && failure == null; s++) {
                    try {
                        // one store per 4 KiB page of the symbol: without reservation these
                        // stores would fault into holes once the disk is full
                        for (int m = 0; m < minutes; m += 32) l.setAggressorRef(s, m, meta(PayloadType.AGGRESSOR, 1, 1));
                        l.setTradeRef(s, minutes - 1, meta(PayloadType.TRADE, s + 1, 1));
                        filled++;
                    } catch (QuireException e) {
                        failure = e;
                    }
                }
                assertThat(failure).as("a 4 MiB disk cannot hold 64 reserved symbols").isNotNull();
                assertThat(failure.kind()).isEqualTo(ErrorKind.IO);
                assertThat(failure.getMessage()).contains("disk is probably full").contains("symbol " + filled);
                assertThat(filled).isBetween(1, 16);
                assertThat(l.read(SlotKind.TRADE_REF, filled, minutes - 1).status()).isEqualTo(SlotStatus.EMPTY);
                assertThat(l.read(SlotKind.AGGRESSOR_REF, filled, 0).status()).as("refused before any store").isEqualTo(SlotStatus.EMPTY);
                assertThat(l.matrix().isReserved(filled)).isFalse();
                for (int s = 0; s < filled; s++) {
                    assertThat(l.read(SlotKind.TRADE_REF, s, minutes - 1).payloadId()).isEqualTo(s + 1);
                    // every page of a reserved symbol is allocated: stores cannot fault
                    for (int m = 0; m < minutes; m += 32) assertThat(l.setQuoteRef(s, m, meta(PayloadType.QUOTE, 1, 1)).ok()).isTrue();
                }
            }
        } finally {
            if (run("umount", mnt.toString()) == null) run("umount", "-l", mnt.toString());
        }
    }
}
