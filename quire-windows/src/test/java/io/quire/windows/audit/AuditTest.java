package io.quire.windows.audit;

import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import io.quire.windows.regions.PriorityRegion;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.TradeLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail: spool → drain → core stream {@code windows/audit}, exactly once, across a
 * crashed drainer, a {@code kill -9}ed spool owner (acknowledged records all arrive, the spool is
 * then deleted), a live owner in another process (drained, not deleted) and a torn tail.
 */
class AuditTest {
    @TempDir Path dir;

    private static final long NOW = 1_750_000_000_000_000_000L;

    private List<Entry> audit(Ledger l) { return l.read(AuditLimits.STREAM, 0, 0, null); }

    private static String payload(Entry e) { return new String(e.payload(), StandardCharsets.UTF_8); }

    @Test
    void shouldRecordAClearWithOperatorAndCauseInWindowsAudit() throws Exception {
        Ledger.init(dir);
        try (Ledger core = Ledger.open(dir);
             WindowsAudit audit = new WindowsAudit(AuditSpool.create(dir), "system", id -> Optional.of("SYM" + id), () -> NOW);
             TradeLedger t = TradeLedger.open(dir, 2025, 4, 100, SlotMatrix.Options.defaults().withAudit(audit).withClock(() -> NOW))) {
            assertThat(t.setTradeRef(1, 7, new PayloadMeta(PayloadType.TRADE, 3, 2, 0xCAFE, NOW)).ok()).isTrue();
            t.clearSlot(SlotKind.TRADE_REF, 1, 7, "bad \"vendor\" file", "alice");
            assertThat(audit(core)).as("nothing in the log before a drain").isEmpty();
            AuditDrain.Report r = AuditDrain.drain(core, dir);
            assertThat(r.recordsAppended()).isEqualTo(1);
            assertThat(r.filesLive()).isEqualTo(1);
            List<Entry> es = audit(core);
            assertThat(es).hasSize(1);
            Entry e = es.getFirst();
            assertThat(e.key()).isEqualTo("clear");
            assertThat(e.metadata()).containsEntry("operator", "alice");
            assertThat(e.id()).isEqualTo(AuditDrain.entryId(audit.spool().name(), 0));
            assertThat(payload(e)).isEqualTo("{\"type\":\"clear\",\"at_ns\":" + NOW + ",\"ledger\":\"trade\",\"column\":\"trade_ref\",\"symbol_id\":1,"
                    + "\"symbol\":\"SYM1\",\"minute_idx\":7,\"cause\":\"bad \\\"vendor\\\" file\","
                    + "\"before\":{\"status\":\"FILLED\",\"payload_type\":\"TRADE\",\"payload_id\":3,\"version\":2,\"checksum\":51966,\"last_updated_ns\":" + NOW + "},"
                    + "\"after\":{\"status\":\"CLEARED\",\"payload_type\":\"NONE\",\"payload_id\":0,\"version\":2,\"checksum\":0,\"last_updated_ns\":" + NOW + "}}");
            // A second drain appends nothing new; the live spool stays.
            assertThat(AuditDrain.drain(core, dir).recordsAppended()).isZero();
            assertThat(audit(core)).hasSize(1);
        }
        // Closed owner: the next drain deletes the spool.
        try (Ledger core = Ledger.open(dir)) {
            AuditDrain.Report r = AuditDrain.drain(core, dir);
            assertThat(r.filesDeleted()).isEqualTo(1);
            assertThat(audit(core)).hasSize(1);
            assertThat(spoolFiles()).isEmpty();
        }
    }

    @Test
    void shouldRecordRegionsTreasuryRevisionsAndBatchedClears() {
        Ledger.init(dir);
        try (Ledger core = Ledger.open(dir); WindowsAudit audit = new WindowsAudit(AuditSpool.create(dir), "ops", id -> Optional.empty(), () -> NOW)) {
            PriorityRegion reg = new PriorityRegion(4, "AAPL", 0, Instant.parse("2025-03-03T14:30:00Z"), Instant.parse("2025-03-03T15:30:00Z"), 7,
                    EnumSet.of(SlotKind.TRADE_REF), EnumSet.noneOf(SlotKind.class), Instant.parse("2025-03-01T00:00:00Z"), "bob@cli");
            audit.regionAdded(reg, "bob");
            audit.regionRemoved(reg, "bob");
            audit.regionRetired(reg);
            audit.treasuryRevision("2025-03-03", "UST-PAR-2025-03-03", 2, 9, Instant.parse("2025-03-04T14:30:00Z"), Instant.parse("2025-03-04T21:00:00Z"));
            audit.beginBatch();
            audit.clearRequested("carol", io.quire.windows.slots.LedgerKind.TRADE, SlotKind.TRADE_REF, "AAPL", 0, 10, "refetch");
            AuditDrain.drain(core, dir);
            assertThat(audit(core)).as("buffered until flush").hasSize(4);
            audit.flush();
            AuditDrain.drain(core, dir);
            List<Entry> es = audit(core);
            assertThat(es).extracting(Entry::key).containsExactly("region_add", "region_rm", "region_retired", "treasury_revision", "clear_request");
            assertThat(payload(es.get(0))).isEqualTo("{\"type\":\"region_add\",\"at_ns\":" + NOW + ",\"region_id\":4,\"symbol\":\"AAPL\",\"symbol_id\":0,"
                    + "\"start_ts\":\"2025-03-03T14:30:00Z\",\"end_ts\":\"2025-03-03T15:30:00Z\",\"priority\":7,\"columns\":[\"trade_ref\"],\"creator\":\"bob@cli\"}");
            assertThat(payload(es.get(2))).startsWith("{\"type\":\"region_retired\",\"at_ns\":" + NOW + ",\"region_id\":4,");
            assertThat(es.get(2).metadata()).as("retired by the audit's own operator").containsEntry("operator", "ops");
            assertThat(payload(es.get(3))).contains("\"version\":2,\"previous_version\":1,\"payload_id\":9");
            assertThat(es.get(4).metadata()).containsEntry("operator", "carol");
        }
    }

    /**
     * A drainer that crashed after appending (simulated by forgetting what it drained: a fresh
     * JVM-less view is the same as redoing it) must not duplicate: ids are stable per frame.
     */
    @Test
    void shouldNotDuplicateWhenADrainIsRedone() throws Exception {
        Ledger.init(dir);
        AuditSpool s = AuditSpool.create(dir);
        s.append(List.of(new AuditRecord("clear", "a", "{}"), new AuditRecord("repair", "b", "{\"x\":1}")));
        s.close();
        Path spool = s.file();
        try (Ledger core = Ledger.open(dir)) {
            // Redo by hand exactly what drain does for this file, as a drainer killed before deleting would have.
            for (AuditSpool.Framed f : AuditSpool.read(spool, 0, 100).records()) core.appendBatch(AuditLimits.STREAM, List.of(AuditDrain.draft(s.name(), f)));
            AuditDrain.Report r = AuditDrain.drain(core, dir);
            assertThat(r.filesDeleted()).isEqualTo(1);
            assertThat(audit(core)).extracting(Entry::key).containsExactly("clear", "repair");
        }
    }

    @Test
    void shouldDropTheTornTailOfADeadOwnerAndKeepEveryCompleteRecord() throws Exception {
        Ledger.init(dir);
        AuditSpool s = AuditSpool.create(dir);
        s.append(List.of(new AuditRecord("clear", "a", "{\"n\":1}")));
        s.append(List.of(new AuditRecord("clear", "a", "{\"n\":2}")));
        s.close();
        byte[] full = Files.readAllBytes(s.file());
        // A torn third append: a header claiming 40 bytes and only 5 of them.
        Files.write(s.file(), new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 9, 9, 9, 9, 9}, StandardOpenOption.APPEND);
        assertThat(AuditSpool.read(s.file(), 0, 100).validBytes()).isEqualTo(full.length);
        try (Ledger core = Ledger.open(dir)) {
            AuditDrain.drain(core, dir);
            assertThat(audit(core)).extracting(e -> payload(e)).containsExactly("{\"n\":1}", "{\"n\":2}");
            assertThat(spoolFiles()).isEmpty();
        }
    }

    @Test
    void shouldDeliverEveryAcknowledgedRecordOfAKilledProcessAndKeepALiveOnesSpool() throws Exception {
        Ledger.init(dir);
        Process p = child("spool", dir.toString(), "50");
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            String name = out.readLine().substring("spool ".length());
            int acked = -1;
            // Kill it part-way: after at least 10 acknowledged records, with more in flight.
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("acked ")) acked = Integer.parseInt(line.substring(6));
                if (acked == 10) break;
            }
            try (Ledger core = Ledger.open(dir)) {
                AuditDrain.Report live = AuditDrain.drain(core, dir);
                assertThat(live.filesLive()).as("owner alive: drained, not deleted").isEqualTo(1);
                assertThat(live.filesDeleted()).isZero();
                assertThat(live.recordsAppended()).isGreaterThanOrEqualTo(11);
            }
            Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(p.pid())}).waitFor();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (String line; (line = out.readLine()) != null; ) if (line.startsWith("acked ")) acked = Integer.parseInt(line.substring(6));
            try (Ledger core = Ledger.open(dir)) {
                AuditDrain.Report dead = AuditDrain.drain(core, dir);
                assertThat(dead.filesDeleted()).isEqualTo(1);
                List<Entry> es = audit(core);
                assertThat(es.size()).isGreaterThanOrEqualTo(acked + 1);
                for (int i = 0; i < es.size(); i++) {
                    assertThat(payload(es.get(i))).isEqualTo("{\"i\":" + i + "}");
                    assertThat(es.get(i).id()).startsWith("spool/" + name + "/");
                }
                assertThat(spoolFiles()).isEmpty();
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseBadRecordsAtTheirLimits() {
        String max = "x".repeat(AuditLimits.PAYLOAD_BYTES_MAX);
        assertThat(new AuditRecord("clear", "o".repeat(AuditLimits.OPERATOR_BYTES_MAX), max).json()).hasSize(AuditLimits.PAYLOAD_BYTES_MAX);
        assertThatThrownBy(() -> new AuditRecord("clear", "o", max + "x")).isInstanceOf(QuireException.class).hasMessageContaining("PAYLOAD_BYTES_MAX");
        assertThatThrownBy(() -> new AuditRecord("clear", "o".repeat(AuditLimits.OPERATOR_BYTES_MAX + 1), "{}")).isInstanceOf(QuireException.class);
        assertThatThrownBy(() -> new AuditRecord("Clear", "o", "{}")).isInstanceOf(QuireException.class);
        assertThatThrownBy(() -> new AuditRecord("", "o", "{}")).isInstanceOf(QuireException.class);
        assertThatThrownBy(() -> new AuditRecord("c".repeat(AuditLimits.TYPE_BYTES_MAX + 1), "o", "{}")).isInstanceOf(QuireException.class);
        assertThat(new AuditRecord("c".repeat(AuditLimits.TYPE_BYTES_MAX), "o", "{}").type()).hasSize(AuditLimits.TYPE_BYTES_MAX);
        // The largest record fits one frame and reads back.
        AuditSpool s = AuditSpool.create(dir);
        s.append(List.of(new AuditRecord("c".repeat(AuditLimits.TYPE_BYTES_MAX), "o".repeat(AuditLimits.OPERATOR_BYTES_MAX), max)));
        assertThat(AuditSpool.read(s.file(), 0, 10).records()).hasSize(1);
        s.close();
    }

    private List<Path> spoolFiles() throws IOException {
        Path d = AuditSpool.dirIn(dir);
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) { return s.toList(); }
    }

    private static Process child(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-ea", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), AuditChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
