package io.quire.windows.slots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.quire.windows.slots.SlotTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Real processes sharing one mapped file: CAS races, kill -9 mid-write, repairs on reopen. */
class ProcessTest {
    static final int SYMBOLS = 4;
    static final int MINUTES = 64;

    @TempDir Path dir;

    private static String readLine(Process p) throws Exception {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /**
     * Invariants checked: two child JVMs race expected-version CAS on the same 3 slots of one
     * file; the sum of their successful increments equals the sum of the final versions, and
     * every final slot is whole.
     */
    @Test
    void shouldCountEverySuccessfulCasAcrossTwoProcesses() throws Exception {
        Path file = dir.resolve("race.slots");
        open(file, LedgerKind.TRADE, SYMBOLS, MINUTES).close();
        Path go = dir.resolve("go");
        List<Process> kids = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        int hot = 3;
        int attempts = 20_000;
        for (int i = 0; i < 2; i++) {
            Process p = child(dir.resolve("race" + i + ".err"), "race", file.toString(), "" + SYMBOLS, "" + MINUTES, "" + hot, "" + attempts, go.toString());
            kids.add(p);
            outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (BufferedReader r : outs) assertThat(r.readLine()).isEqualTo("ready");
        Files.createFile(go);
        long successes = 0;
        for (int i = 0; i < 2; i++) {
            String line = outs.get(i).readLine();
            awaitExit(kids.get(i), 60);
            assertThat(kids.get(i).exitValue()).as("child %d: %s", i, Files.readString(dir.resolve("race" + i + ".err"))).isZero();
            assertThat(line).startsWith("successes=");
            long n = Long.parseLong(line.substring("successes=".length()));
            assertThat(n).as("each child wins some").isPositive();
            successes += n;
        }
        try (TradeLedger l = new TradeLedger(open(file, LedgerKind.TRADE, SYMBOLS, MINUTES))) {
            assertThat(l.matrix().openReport().scanned()).as("both children closed cleanly: no scan").isFalse();
            long total = 0;
            for (int m = 0; m < hot; m++) {
                SlotView s = l.read(SlotKind.TRADE_REF, 0, m);
                ConcurrencyTest.checkWhole(s);
                total += s.version();
            }
            assertThat(total).isEqualTo(successes);
        }
    }

    /**
     * Invariants checked: a child killed by the test hook between its claim and its publish
     * leaves an odd sequence; reopening (sole opener, unclean counters) repairs exactly that slot
     * to CLEARED, reports it with reason TORN_WRITE_DEAD_OWNER, bumps repairs_total, and every
     * slot of the file then reads whole. A second reopen scans nothing.
     */
    @Test
    void shouldRepairASlotLeftHalfWrittenByAHaltedWriterOnReopen() throws Exception {
        Path file = dir.resolve("halt.slots");
        try (TradeLedger l = new TradeLedger(open(file, LedgerKind.TRADE, SYMBOLS, MINUTES))) {
            assertThat(l.setTradeRef(2, 5, meta(PayloadType.TRADE, 5, 4)).ok()).isTrue();
        }
        Process p = child(dir.resolve("halt.err"), "halt", file.toString(), "" + SYMBOLS, "" + MINUTES, "2", "5");
        assertThat(readLine(p)).isEqualTo("claimed");
        awaitExit(p, 30);
        assertThat(p.exitValue()).isEqualTo(3);
        List<RepairRecord> audited = new CopyOnWriteArrayList<>();
        SlotAudit audit = new SlotAudit() {
            @Override public void onClear(ClearRecord r) {}
            @Override public void onRepair(RepairRecord r) { audited.add(r); }
        };
        try (SlotMatrix m = SlotMatrix.open(file, LedgerKind.TRADE, YEAR, SYMBOLS, MINUTES, SlotMatrix.Options.defaults().withAudit(audit))) {
            RepairReport rep = m.openReport();
            assertThat(rep.scanned()).isTrue();
            assertThat(rep.repairs()).isEqualTo(1);
            assertThat(rep.slotsScanned()).isEqualTo((long) MINUTES * 4);
            RepairRecord r = rep.records().getFirst();
            assertThat(audited).containsExactly(r);
            assertThat(r.reason()).isEqualTo(RepairRecord.Reason.TORN_WRITE_DEAD_OWNER);
            assertThat(r.duringOpen()).isTrue();
            assertThat(r.foundWord() & 1).as("found odd").isEqualTo(1);
            assertThat(r.after().slot()).isEqualTo(SlotKind.TRADE_REF);
            assertThat(r.after().symbolId()).isEqualTo(2);
            assertThat(r.after().minuteIdx()).isEqualTo(5);
            SlotView s = m.read(SlotKind.TRADE_REF, 2, 5);
            assertThat(s.status()).isEqualTo(SlotStatus.CLEARED);
            assertThat(s.version()).as("keeps a version >= the last published (4)").isIn(4L, 9L);
            assertThat(m.repairsTotal()).isEqualTo(1);
            assertAllWhole(m);
            // and it can be refilled
            assertThat(new TradeLedger(m).setTradeRef(2, 5, meta(PayloadType.TRADE, 6, 10)).ok()).isTrue();
        }
        try (SlotMatrix m = open(file, LedgerKind.TRADE, SYMBOLS, MINUTES)) {
            assertThat(m.openReport().scanned()).as("clean shutdown: no scan").isFalse();
            assertThat(m.repairsTotal()).isEqualTo(1);
        }
    }

    /**
     * Invariants checked: while this process keeps the file open (so no open-time scan can run),
     * a child halts mid-write; the next read of that slot waits, finds the owner session dead
     * (its lock is gone), repairs the slot lazily and reports it (duringOpen = false).
     */
    @Test
    void shouldRepairLazilyWhenTheWriterDiesWhileOthersHaveTheFileOpen() throws Exception {
        Path file = dir.resolve("lazy.slots");
        List<RepairRecord> audited = new CopyOnWriteArrayList<>();
        SlotAudit audit = new SlotAudit() {
            @Override public void onClear(ClearRecord r) {}
            @Override public void onRepair(RepairRecord r) { audited.add(r); }
        };
        try (SlotMatrix m = SlotMatrix.open(file, LedgerKind.TRADE, YEAR, SYMBOLS, MINUTES, SlotMatrix.Options.defaults().withAudit(audit))) {
            Process p = child(dir.resolve("lazy.err"), "halt", file.toString(), "" + SYMBOLS, "" + MINUTES, "1", "7");
            assertThat(readLine(p)).isEqualTo("claimed");
            awaitExit(p, 30);
            SlotView s = m.read(SlotKind.TRADE_REF, 1, 7);
            assertThat(s.status()).isEqualTo(SlotStatus.CLEARED);
            assertThat(audited).hasSize(1);
            assertThat(audited.getFirst().duringOpen()).isFalse();
            assertThat(audited.getFirst().reason()).isEqualTo(RepairRecord.Reason.TORN_WRITE_DEAD_OWNER);
            assertThat(m.verifyAndRepair().repairs()).isZero();
        }
    }

    /**
     * Invariants checked: a child stopped between its claim and its publish is killed with
     * SIGKILL while this process has the file open; iterSymbol's bulk read meets the odd word (in
     * the second scan chunk), finds the child's session dead, repairs the slot and visits it
     * CLEARED; every other row of the symbol is visited whole, and nothing is left to repair.
     */
    @Test
    void shouldRepairLazilyWhenAScanMeetsAKilledWritersSlot() throws Exception {
        Path file = dir.resolve("lazyscan.slots");
        int minute = SlotMatrix.SCAN_CHUNK_ROWS + 7;
        assertThat(minute).as("the slot must be in the second chunk").isLessThan(MINUTES);
        List<RepairRecord> audited = new CopyOnWriteArrayList<>();
        SlotAudit audit = new SlotAudit() {
            @Override public void onClear(ClearRecord r) {}
            @Override public void onRepair(RepairRecord r) { audited.add(r); }
        };
        try (SlotMatrix m = SlotMatrix.open(file, LedgerKind.TRADE, YEAR, SYMBOLS, MINUTES, SlotMatrix.Options.defaults().withAudit(audit))) {
            TradeLedger l = new TradeLedger(m);
            for (int min = 0; min < MINUTES; min++) assertThat(l.setTradeRef(1, min, meta(PayloadType.TRADE, 100 + min, 1)).ok()).isTrue();
            Process p = child(dir.resolve("lazyscan.err"), "stall", file.toString(), "" + SYMBOLS, "" + MINUTES, "1", "" + minute);
            assertThat(readLine(p)).isEqualTo("claimed");
            p.destroyForcibly();
            awaitExit(p, 30);
            List<SlotView> seen = new ArrayList<>();
            assertThat(m.iterSymbol(1, 0, MINUTES, row -> seen.add(row.view(SlotKind.TRADE_REF)))).isEqualTo(MINUTES);
            assertThat(seen.get(minute).status()).isEqualTo(SlotStatus.CLEARED);
            for (SlotView v : seen) if (v.minuteIdx() != minute) assertThat(v.status()).as("%s", v).isEqualTo(SlotStatus.FILLED);
            assertThat(audited).singleElement().satisfies(r -> {
                assertThat(r.duringOpen()).isFalse();
                assertThat(r.reason()).isEqualTo(RepairRecord.Reason.TORN_WRITE_DEAD_OWNER);
                assertThat(r.after().minuteIdx()).isEqualTo(minute);
            });
            assertThat(m.verifyAndRepair().repairs()).isZero();
        }
    }

    /**
     * Invariants checked: a writer child filling, claiming and clearing random slots is killed
     * with SIGKILL (destroyForcibly) at random moments, 3 times; after each kill a reopen leaves
     * no invalid slot (every slot of every reserved symbol reads whole), and any repair it made
     * is reported and counted.
     */
    @Test
    void shouldLeaveNoInvalidSlotAfterKill9MidWrites() throws Exception {
        long seed = seed();
        Random rnd = new Random(seed);
        Path file = dir.resolve("kill.slots");
        open(file, LedgerKind.TRADE, SYMBOLS, MINUTES).close();
        long repairsSeen = 0;
        for (int round = 0; round < 3; round++) {
            Process p = child(dir.resolve("kill" + round + ".err"), "writer", file.toString(), "" + SYMBOLS, "" + MINUTES, "" + (seed + round));
            assertThat(readLine(p)).as("seed %d: %s", seed, dir.resolve("kill" + round + ".err")).isEqualTo("ready");
            Thread.sleep(50 + rnd.nextInt(300));
            p.destroyForcibly();
            p.waitFor();
            try (SlotMatrix m = open(file, LedgerKind.TRADE, SYMBOLS, MINUTES)) {
                RepairReport rep = m.openReport();
                assertThat(rep.scanned()).as("killed child left the counters unequal").isTrue();
                assertThat(rep.records()).allSatisfy(r -> assertThat(r.after().status()).isEqualTo(SlotStatus.CLEARED));
                repairsSeen += rep.repairs();
                assertThat(m.repairsTotal()).as("seed %d", seed).isEqualTo(repairsSeen);
                assertAllWhole(m);
            }
        }
    }

    static void assertAllWhole(SlotMatrix m) {
        for (int s = 0; s < m.symbolsCapacity(); s++)
            m.iterSymbol(s, 0, m.minutes(), row -> {
                for (SlotKind k : SlotKind.of(m.kind())) ConcurrencyTest.checkWhole(row.view(k));
                return true;
            });
    }
}
