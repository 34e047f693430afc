package io.quire.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyRecorderTest {

    @Test
    void bucketsCoverEveryValueAndAreContiguous() {
        assertThat(LatencyRecorder.index(0)).isZero();
        assertThat(LatencyRecorder.index(127)).isEqualTo(127);
        assertThat(LatencyRecorder.index(128)).isEqualTo(128);
        assertThat(LatencyRecorder.index(Long.MAX_VALUE)).isEqualTo(LatencyRecorder.BUCKETS - 1);
        for (int i = 1; i < LatencyRecorder.BUCKETS; i++) {
            assertThat(LatencyRecorder.lowerBound(i)).isEqualTo(LatencyRecorder.lowerBound(i - 1) + LatencyRecorder.width(i - 1));
            assertThat(LatencyRecorder.index(LatencyRecorder.lowerBound(i))).isEqualTo(i);
            assertThat(LatencyRecorder.index(LatencyRecorder.lowerBound(i) - 1)).isEqualTo(i - 1);
        }
    }

    @Test
    void percentilesAreWithinOnePercentOfExact() {
        SplittableRandom r = new SplittableRandom(5);
        long[] v = new long[100_000];
        LatencyRecorder a = new LatencyRecorder(), b = new LatencyRecorder();
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) Math.exp(r.nextDouble(3, 20));   // 20 ns .. 0.5 s, log-uniform
            (i % 2 == 0 ? a : b).record(v[i]);
        }
        a.merge(b);
        Arrays.sort(v);
        assertThat(a.count()).isEqualTo(v.length);
        for (double p : new double[] {1, 50, 90, 99, 99.9}) {
            long exact = v[(int) Math.ceil(p / 100 * v.length) - 1];
            assertThat((double) a.percentileNanos(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.01 + 1));
        }
        assertThat(a.percentileNanos(100)).isEqualTo(v[v.length - 1]);
        assertThat(a.minNanos()).isEqualTo(v[0]);
    }

    @Test
    void emptyRecorderReportsZero() {
        assertThat(new LatencyRecorder().percentileNanos(99)).isZero();
    }
}
