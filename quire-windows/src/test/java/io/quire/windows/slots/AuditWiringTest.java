package io.quire.windows.slots;

import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.windows.audit.AuditDrain;
import io.quire.windows.audit.AuditLimits;
import io.quire.windows.audit.AuditSpool;
import io.quire.windows.audit.WindowsAudit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.quire.windows.slots.SlotTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** A repair found on open (a real child JVM halted mid-write) reaches {@code windows/audit}. */
class AuditWiringTest {
    @TempDir Path dir;

    @Test
    void shouldAuditARepairFoundOnOpen() throws Exception {
        Ledger.init(dir);
        Path file = SlotMatrix.pathFor(dir, YEAR, LedgerKind.TRADE);
        try (TradeLedger l = TradeLedger.open(dir, YEAR, 4, 50, SlotMatrix.Options.defaults())) {
            assertThat(l.setTradeRef(2, 5, meta(PayloadType.TRADE, 5, 4)).ok()).isTrue();
        }
        Process p = child(dir.resolve("halt.err"), "halt", file.toString(), "4", "50", "2", "5");
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("claimed");
        awaitExit(p, 60);
        try (WindowsAudit audit = new WindowsAudit(AuditSpool.create(dir), "quire@test", id -> Optional.of("S" + id), () -> 42L);
             TradeLedger l = TradeLedger.open(dir, YEAR, 4, 50, SlotMatrix.Options.defaults().withAudit(audit).withClock(() -> 42L))) {
            assertThat(l.matrix().openReport().repairs()).isEqualTo(1);
        }
        try (Ledger core = Ledger.open(dir)) {
            AuditDrain.drain(core, dir);
            List<Entry> es = core.read(AuditLimits.STREAM, 0, 0, null);
            assertThat(es).hasSize(1);
            assertThat(es.getFirst().key()).isEqualTo("repair");
            assertThat(es.getFirst().metadata()).containsEntry("operator", "quire@test");
            String json = new String(es.getFirst().payload(), StandardCharsets.UTF_8);
            assertThat(json).startsWith("{\"type\":\"repair\",\"at_ns\":42,\"ledger\":\"trade\",\"column\":\"trade_ref\",\"symbol_id\":2,\"symbol\":\"S2\",\"minute_idx\":5,"
                    + "\"reason\":\"TORN_WRITE_DEAD_OWNER\",\"found_word\":\"0x").contains("\"during_open\":true", "\"status\":\"CLEARED\"");
        }
    }
}
