package io.quire.cli;

import io.quire.windows.symbols.SymbolMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code quire windows tui}'s option checks, which all run before a terminal is opened (the
 * screen itself is driven in a real terminal by {@link WindowsTuiIT}).
 */
class WindowsTuiCommandTest {
    @TempDir Path tmp;

    @Test
    void shouldAcceptRefreshAtTheBoundsAndRefuseOnePast() {
        assertThatCode(() -> WindowsTuiCommand.checkRefreshMs(WindowsTuiCommand.REFRESH_MS_MIN)).doesNotThrowAnyException();
        assertThatCode(() -> WindowsTuiCommand.checkRefreshMs(WindowsTuiCommand.REFRESH_MS_MAX)).doesNotThrowAnyException();
        assertThatThrownBy(() -> WindowsTuiCommand.checkRefreshMs(WindowsTuiCommand.REFRESH_MS_MIN - 1)).hasMessageContaining("--refresh-ms: 49");
        assertThatThrownBy(() -> WindowsTuiCommand.checkRefreshMs(WindowsTuiCommand.REFRESH_MS_MAX + 1)).hasMessageContaining("--refresh-ms: 60001");
        Run r = Run.in(tmp, "windows", "tui", "--year", "2025", "--refresh-ms", "49");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--refresh-ms: 49 is outside 50..60000");
    }

    @Test
    void shouldRefuseBadOptionsWithExitOneNamingThem() {
        assertThat(Run.in(tmp, "windows", "tui", "--year", "1999").err()).contains("YEAR: 1999 is outside");
        Run col = Run.in(tmp, "windows", "tui", "--year", "2025", "--column", "nope");
        assertThat(col.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(col.err()).contains("--column: no column 'nope'");
        Run now = Run.in(tmp, "windows", "tui", "--year", "2025", "--now", "yesterday");
        assertThat(now.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(now.err()).contains("--now: 'yesterday' is not an ISO instant");
        assertThat(Run.in(tmp, "windows", "tui").code()).isEqualTo(ExitCodes.USAGE); // --year is required
    }

    @Test
    void shouldSayNotFoundWithoutTheYearsDirectoryAndCheckSymbolAndWindow() {
        Run none = Run.in(tmp, "windows", "tui", "--year", "2025");
        assertThat(none.code()).as(none.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(none.err()).contains("no windows ledger for 2025 at");
        try (SymbolMap m = SymbolMap.open(SymbolMap.fileIn(tmp, 2025), 2025)) {
            m.resolveAll(List.of("AAPL"));
        }
        Run sym = Run.in(tmp, "windows", "tui", "--year", "2025", "--symbol", "MSFT");
        assertThat(sym.code()).as(sym.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(sym.err()).contains("--symbol: no symbol 'MSFT'");
        Run at = Run.in(tmp, "windows", "tui", "--year", "2025", "--at", "2025:999:1");
        assertThat(at.code()).as(at.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(at.err()).contains("--at:");
    }
}
