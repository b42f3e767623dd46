package org.cbhealth.routes.directory;

/**
 * Why a row (or the whole file, line 0) of an export was refused: the line, the partner's column name and
 * the reason, as the import report shows it.
 */
public record RowProblem(long line, String column, String reason) {

    @Override
    public String toString() {
        return line == 0 ? reason : "line " + line + ", column '" + column + "': " + reason;
    }
}
