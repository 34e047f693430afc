package io.quire.windows.regions;

import io.quire.windows.calendar.TradingCalendar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static io.quire.windows.slots.SlotKind.TRADE_REF;
import static org.assertj.core.api.Assertions.assertThat;

/** A child JVM and this one add regions at the same time through the file lock; none is lost, and a running store sees the child's. */
class RegionProcessTest {
    @TempDir Path dir;

    @Test
    void shouldLoseNoRegionWhenAnotherProcessAddsConcurrently() throws Exception {
        int n = 30;
        PriorityRegionStore s = PriorityRegionStore.open(dir, TradingCalendar.nyse(2025), x -> OptionalInt.of(1), Clock.systemUTC());
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-ea", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RegionChild.class.getName(), dir.toString(), Integer.toString(n)));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        for (int i = 0; i < n; i++) s.add("PARENT", Instant.parse("2025-03-07T15:00:00Z"), Instant.parse("2025-03-07T15:01:00Z"), 1 + i, EnumSet.of(TRADE_REF), "parent");
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(child.getInputStream().readAllBytes());
        assertThat(child.exitValue()).as(out).isZero();
        List<PriorityRegion> all = s.list(); // the running store picks up the child's regions
        assertThat(all).hasSize(2 * n);
        assertThat(all.stream().filter(r -> r.symbol().equals("CHILD")).count()).isEqualTo(n);
        assertThat(all.stream().map(PriorityRegion::id).distinct().count()).isEqualTo(2L * n);
    }
}
