package io.quire.windows.market;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * What {@link MarketGenerator#generate} wrote.
 *
 * @param stocks    stock tickers in file order (sorted)
 * @param contracts option tickers in file order (sorted)
 */
public record GeneratedMarket(LocalDate date, long seed, List<File> files, List<String> stocks, List<String> contracts) {
    public GeneratedMarket {
        files = List.copyOf(files);
        stocks = List.copyOf(stocks);
        contracts = List.copyOf(contracts);
    }

    public enum Kind { STOCK_TRADES, STOCK_QUOTES, OPTION_TRADES, OPTION_QUOTES, TREASURY }

    /** One written file: its path, data rows (without the header) and size in bytes. */
    public record File(Kind kind, Path path, long rows, long bytes) {}

    public File file(Kind kind) { return files.stream().filter(f -> f.kind() == kind).findFirst().orElseThrow(); }
}
