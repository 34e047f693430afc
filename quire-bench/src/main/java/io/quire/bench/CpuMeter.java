package io.quire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU the rest of the machine used while a measurement ran: busy time of all CPUs from
 * {@code /proc/stat} minus this process's own time from {@code /proc/self/stat}, in cores. On a
 * shared 2-core machine this says whether a figure was taken with a neighbour compiling. Linux
 * only; elsewhere {@link #otherCores} is NaN.
 */
final class CpuMeter {
    private static final double TICKS_PER_S = 100.0;   // USER_HZ: 100 on every Linux build we run on

    private final long allBusy, selfBusy, nanos;

    private CpuMeter(long allBusy, long selfBusy, long nanos) {
        this.allBusy = allBusy;
        this.selfBusy = selfBusy;
        this.nanos = nanos;
    }

    static CpuMeter start() { return new CpuMeter(allBusy(), selfBusy(), System.nanoTime()); }

    /** Cores busy with other processes since {@link #start}, averaged over the interval. */
    double otherCores() {
        long a = allBusy(), s = selfBusy();
        double secs = (System.nanoTime() - nanos) / 1e9;
        if (a < 0 || s < 0 || allBusy < 0 || selfBusy < 0 || secs <= 0) return Double.NaN;
        return Math.max(0, ((a - allBusy) - (s - selfBusy)) / TICKS_PER_S / secs);
    }

    private static long allBusy() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (!line.startsWith("cpu ")) continue;
                String[] f = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal
                return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }

    private static long selfBusy() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException ignored) {
            return -1;
        }
    }
}
