package io.quire.bench;

import java.util.Locale;

/**
 * One (workload, system) outcome. {@code status} is "ok", "unavailable" (the system under test
 * does not implement this yet: the core stub throws UnsupportedOperationException), "skipped" (the
 * system is not installed, e.g. no nats-server on PATH) or "error".
 */
public record Result(String workload, String system, String status, double opsPerSec, double p50Us, double p99Us,
                     long n, String unit, String settings, String reason, String note, double otherCpu) {

    public static Result ok(String workload, String system, double opsPerSec, LatencyRecorder lat, String unit, String settings) {
        return new Result(workload, system, "ok", opsPerSec, lat.percentileMicros(50), lat.percentileMicros(99),
                lat.count(), unit, settings, null, null, Double.NaN);
    }

    public Result withNote(String n) {
        return new Result(workload, system, status, opsPerSec, p50Us, p99Us, this.n, unit, settings, reason, n, otherCpu);
    }

    public Result withOtherCpu(double cores) {
        return new Result(workload, system, status, opsPerSec, p50Us, p99Us, n, unit, settings, reason, note, cores);
    }

    public static Result unavailable(String workload, String system, String settings, String reason) {
        return new Result(workload, system, "unavailable", 0, 0, 0, 0, null, settings, reason, null, Double.NaN);
    }

    /** The system was not run, for a reason outside the harness (e.g. nats-server not on PATH). */
    public static Result skipped(String workload, String system, String settings, String reason) {
        return new Result(workload, system, "skipped", 0, 0, 0, 0, null, settings, reason, null, Double.NaN);
    }

    public static Result error(String workload, String system, String settings, Throwable t) {
        return new Result(workload, system, "error", 0, 0, 0, 0, null, settings, t.toString(), null, Double.NaN);
    }

    public boolean isOk() { return status.equals("ok"); }

    public String json() {
        StringBuilder b = new StringBuilder(200);
        b.append("{\"workload\":").append(Json.str(workload)).append(",\"system\":").append(Json.str(system));
        if (isOk()) {
            b.append(",\"ops_per_s\":").append(Json.num(opsPerSec))
             .append(",\"p50_us\":").append(Json.num(p50Us))
             .append(",\"p99_us\":").append(Json.num(p99Us))
             .append(",\"n\":").append(n)
             .append(",\"unit\":").append(Json.str(unit));
        } else {
            b.append(",\"status\":").append(Json.str(status)).append(",\"reason\":").append(Json.str(reason));
        }
        b.append(",\"settings\":").append(Json.str(settings));
        if (!Double.isNaN(otherCpu)) b.append(",\"other_cpu\":").append(String.format(Locale.ROOT, "%.2f", otherCpu));
        if (note != null) b.append(",\"note\":").append(Json.str(note));
        b.append('}');
        return b.toString();
    }

    /** Small JSON helpers: no dependency for six fields. */
    static final class Json {
        private Json() {}

        static String num(double d) {
            if (Double.isNaN(d) || Double.isInfinite(d)) return "null";
            return String.format(Locale.ROOT, "%.3f", d);
        }

        static String str(String s) {
            if (s == null) return "null";
            StringBuilder b = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            return b.append('"').toString();
        }
    }
}
