package org.cbhealth.routes.directory;

import java.util.List;

/** The accepted rows of an export and a problem for each refused row; good rows are never held back by bad ones. */
public record CsvReadResult(List<DirectoryRow> rows, List<RowProblem> problems) {

    public CsvReadResult {
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
    }
}
