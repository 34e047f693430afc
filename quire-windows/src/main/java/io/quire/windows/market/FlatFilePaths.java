package io.quire.windows.market;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Where flat files live under a root, mirroring the Polygon/Massive S3 keys so a mirror of the real
 * bucket and a generated day look the same: {@code us_stocks_sip/trades_v1/2025/11/2025-11-12.csv.gz},
 * {@code us_stocks_sip/quotes_v1/…}, {@code us_options_opra/trades_v1/…}, {@code us_options_opra/quotes_v1/…};
 * the treasury CSV as {@code treasury/par-yield-2025-11-12.csv}.
 */
public final class FlatFilePaths {
    private FlatFilePaths() {}

    public static Path stockTrades(Path root, LocalDate d) { return day(root, "us_stocks_sip/trades_v1", d); }

    public static Path stockQuotes(Path root, LocalDate d) { return day(root, "us_stocks_sip/quotes_v1", d); }

    public static Path optionTrades(Path root, LocalDate d) { return day(root, "us_options_opra/trades_v1", d); }

    public static Path optionQuotes(Path root, LocalDate d) { return day(root, "us_options_opra/quotes_v1", d); }

    public static Path treasury(Path root, LocalDate d) { return root.resolve("treasury").resolve("par-yield-" + d + ".csv"); }

    private static Path day(Path root, String dataset, LocalDate d) {
        return root.resolve(dataset).resolve(String.format("%04d", d.getYear())).resolve(String.format("%02d", d.getMonthValue())).resolve(d + ".csv.gz");
    }
}
