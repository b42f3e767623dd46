package org.cbhealth.routes.fhir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A message the hub cannot accept as sent: the sender must fix it. Retrying will not help, so channels park
 * it (or answer the sender) at once instead of redelivering. The message names what is wrong and where;
 * {@link #problems()} lists each problem with its location when the reader could tell them apart.
 */
public class InvalidMessageException extends RuntimeException {

    private final transient List<InputProblem> problems;

    public InvalidMessageException(String message) {
        this(message, (Throwable) null);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    /** One refusal for several located problems; the message lists them all. */
    public InvalidMessageException(String what, List<InputProblem> problems) {
        super(what + ": " + problems.stream().map(InputProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<InputProblem> problems() {
        return problems;
    }
}
