package io.quire.windows.ingest;

import io.quire.windows.calendar.MinuteLookup;

import java.util.List;
import java.util.Map;

/**
 * What one file gave.
 *
 * @param rowsRead        well-formed rows
 * @param rowsPartitioned well-formed rows handed to the sink in some group
 * @param groups          (symbol, minute) groups handed to the sink
 * @param outsideSession  well-formed rows outside any session, by reason (pre-market, after-hours, holiday …); valid, not problems
 * @param reordered       rows that arrived earlier than the previous row of their group and were sorted into place
 * @param malformedTotal  malformed rows (every one), including rows refused for order
 * @param problems        the first {@link IngestLimits#PROBLEM_SAMPLES_MAX} of them, with file and line
 */
public record IngestReport(String file, long rowsRead, long rowsPartitioned, long groups, Map<MinuteLookup.Reason, Long> outsideSession,
                           long reordered, long malformedTotal, List<RowProblem> problems) {
    public IngestReport {
        outsideSession = Map.copyOf(outsideSession);
        problems = List.copyOf(problems);
    }

    public long outsideSessionTotal() { return outsideSession.values().stream().mapToLong(Long::longValue).sum(); }
}
