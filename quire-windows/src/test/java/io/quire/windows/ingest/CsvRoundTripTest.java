package io.quire.windows.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded random trade files, written with random quoting, column order and line ends, read back exactly. */
class CsvRoundTripTest {

    static String field(SplittableRandom r, String v) {
        boolean mustQuote = v.contains(",") || v.contains("\"");
        if (!mustQuote && r.nextInt(4) != 0) return v;
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    static String fixed(long v, int scale) {
        String s = Long.toString(Math.abs(v));
        while (s.length() <= scale) s = "0" + s;
        String out = scale == 0 ? s : s.substring(0, s.length() - scale) + "." + s.substring(s.length() - scale);
        return (v < 0 ? "-" : "") + out;
    }

    /**
     * Invariants checked: for 20 seeded files of up to 500 rows each (random column order, random
     * quoting of any field, ids containing commas and quotes, empty optional fields, LF or CRLF),
     * the reader returns exactly the rows written, with their line numbers, and no problem.
     */
    @Test
    void shouldReadBackRandomlyQuotedFiles() {
        long seed = Long.getLong("quire.test.seed", System.nanoTime());
        System.out.println("CsvRoundTripTest seed " + seed);
        SplittableRandom r = new SplittableRandom(seed);
        List<String> cols = new ArrayList<>(List.of("ticker", "conditions", "correction", "exchange", "id", "participant_timestamp", "price",
                "sequence_number", "sip_timestamp", "size", "tape", "trf_id", "trf_timestamp"));
        for (int file = 0; file < 20; file++) {
            Collections.shuffle(cols, new java.util.Random(r.nextLong()));
            String eol = r.nextBoolean() ? "\n" : "\r\n";
            StringBuilder b = new StringBuilder(String.join(",", cols)).append(eol);
            List<TradeRow> want = new ArrayList<>();
            int rows = 1 + r.nextInt(500);
            for (int i = 0; i < rows; i++) {
                String ticker = r.nextBoolean() ? "SPY" : "O:SPY251112C00" + (100_000 + r.nextInt(800_000));
                long sip = 1_762_957_800_000_000_000L + r.nextLong(1L << 40);
                long part = r.nextBoolean() ? sip - r.nextLong(1_000_000) : Rows.ABSENT_LONG;
                long priceK = 1 + r.nextLong(100_000_000L);
                int scale = r.nextInt(7);
                long sizeK = r.nextLong(10_000_000L);
                int[] cond = new int[r.nextInt(4)];
                for (int k = 0; k < cond.length; k++) cond[k] = r.nextInt(1000);
                String id = r.nextInt(3) == 0 ? "" : "id" + r.nextInt(1000) + (r.nextBoolean() ? ",\"x\"" : "");
                int exch = r.nextBoolean() ? r.nextInt(30) : Rows.ABSENT_INT;
                long seq = r.nextBoolean() ? r.nextLong(1L << 50) : Rows.ABSENT_LONG;
                TradeRow t = new TradeRow(ticker, sip, part, Double.parseDouble(fixed(priceK, scale)), Double.parseDouble(fixed(sizeK, 4)), exch, cond,
                        r.nextBoolean() ? 0 : Rows.ABSENT_INT, id, seq, 1 + r.nextInt(3), Rows.ABSENT_INT, Rows.ABSENT_LONG, i + 2);
                want.add(t);
                List<String> f = new ArrayList<>();
                for (String c : cols) {
                    String v = switch (c) {
                        case "ticker" -> ticker;
                        case "conditions" -> String.join(",", java.util.Arrays.stream(cond).mapToObj(Integer::toString).toList());
                        case "correction" -> t.correction() == Rows.ABSENT_INT ? "" : "0";
                        case "exchange" -> exch == Rows.ABSENT_INT ? "" : Integer.toString(exch);
                        case "id" -> id;
                        case "participant_timestamp" -> part == Rows.ABSENT_LONG ? "" : Long.toString(part);
                        case "price" -> fixed(priceK, scale);
                        case "sequence_number" -> seq == Rows.ABSENT_LONG ? "" : Long.toString(seq);
                        case "sip_timestamp" -> Long.toString(sip);
                        case "size" -> fixed(sizeK, 4);
                        case "tape" -> Integer.toString(t.tape());
                        default -> "";
                    };
                    f.add(field(r, v));
                }
                b.append(String.join(",", f)).append(eol);
            }
            try (FlatFileReader reader = FlatFileReader.open("f" + file, new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.US_ASCII)), FlatFileKind.TRADES)) {
                List<TradeRow> got = new ArrayList<>();
                for (FlatRow x; (x = reader.next()) != null; ) got.add((TradeRow) x);
                assertThat(reader.problemSamples()).as("seed %d file %d", seed, file).isEmpty();
                assertThat(got).as("seed %d file %d", seed, file).isEqualTo(want);
                assertThat(got).extracting(FlatRow::line).as("seed %d", seed).isEqualTo(want.stream().map(FlatRow::line).toList());
            }
        }
    }
}
