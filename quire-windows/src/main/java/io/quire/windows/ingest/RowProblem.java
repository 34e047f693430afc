package io.quire.windows.ingest;

/**
 * A malformed row that was not used: where it is and what is wrong.
 *
 * @param file   the file as given to the reader
 * @param line   1-based line where the row starts (the header is line 1)
 * @param column the column at fault, or null when the whole row is (field count, quoting, order)
 */
public record RowProblem(String file, long line, String column, String message) {
    @Override
    public String toString() { return file + " line " + line + (column == null ? "" : " column " + column) + ": " + message; }
}
