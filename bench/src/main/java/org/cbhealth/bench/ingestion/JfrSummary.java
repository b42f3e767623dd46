package org.cbhealth.bench.ingestion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a server's CPU time went, from the {@code jdk.ExecutionSample} events of a JDK Flight Recorder recording:
 * the samples of the threads serving HTTP requests, each put in the first {@link Category} one of its frames belongs
 * to, and the methods most often on top of the stack (self time).
 *
 * @param requestSamples samples of HTTP request threads ({@code http-nio-*})
 * @param otherSamples samples of all other threads
 * @param byCategory request-thread samples per category
 * @param topFrames the methods most often on top of a request thread's stack, with their sample counts, most first
 * @param topOwnFrames the same for the first frame outside the JDK ({@code java.}, {@code jdk.}, {@code sun.}): the
 *     library or hub method that spent the time, JDK collections and strings included
 */
record JfrSummary(
        int requestSamples,
        int otherSamples,
        Map<Category, Integer> byCategory,
        List<Map.Entry<String, Integer>> topFrames,
        List<Map.Entry<String, Integer>> topOwnFrames) {

    /** What a request thread was doing, checked in this order: the first that matches any frame wins. */
    enum Category {
        VALIDATION("profile validation (the hub's interceptor, HAPI's instance validator, FHIRPath)"),
        STORAGE("HAPI JPA storage (DAOs, indexing, Hibernate, JDBC, PostgreSQL driver)"),
        PARSING("FHIR JSON parsing and serialising (HAPI parser)"),
        OTHER("other (servlet container, HAPI REST server, JDK)");

        final String label;

        Category(String label) {
            this.label = label;
        }
    }

    private static final int TOP = 15;

    /** The category of one stack, frames given as {@code class.method}, top of the stack first. */
    static Category categorise(List<String> frames) {
        if (frames.stream().anyMatch(JfrSummary::isValidation)) {
            return Category.VALIDATION;
        }
        if (frames.stream().anyMatch(JfrSummary::isStorage)) {
            return Category.STORAGE;
        }
        if (frames.stream().anyMatch(f -> f.startsWith("ca.uhn.fhir.parser."))) {
            return Category.PARSING;
        }
        return Category.OTHER;
    }

    private static boolean isValidation(String frame) {
        return frame.startsWith("org.cbhealth.hub.conformance.")
                || frame.startsWith("org.cbhealth.profiles.validation.")
                || frame.startsWith("org.hl7.fhir.validation.")
                || frame.startsWith("org.hl7.fhir.r5.utils.FHIRPathEngine")
                || frame.startsWith("org.hl7.fhir.r5.fhirpath.")
                || frame.startsWith("org.hl7.fhir.common.hapi.validation.")
                || frame.startsWith("ca.uhn.fhir.validation.");
    }

    private static boolean isStorage(String frame) {
        return frame.startsWith("ca.uhn.fhir.jpa.")
                || frame.startsWith("org.hibernate.")
                || frame.startsWith("org.postgresql.")
                || frame.startsWith("com.zaxxer.hikari.");
    }

    static boolean isRequestThread(String threadName) {
        return threadName != null && threadName.startsWith("http-nio-");
    }

    /** Summarises the execution samples of a recording. */
    static JfrSummary read(Path recording) throws IOException {
        List<String> threads = new ArrayList<>();
        List<List<String>> stacks = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
                continue;
            }
            var thread = event.getThread("sampledThread");
            threads.add(thread == null ? null : thread.getJavaName());
            RecordedStackTrace stack = event.getStackTrace();
            List<String> frames = new ArrayList<>();
            if (stack != null) {
                for (RecordedFrame frame : stack.getFrames()) {
                    if (frame.getMethod() != null) {
                        frames.add(frame.getMethod().getType().getName() + "."
                                + frame.getMethod().getName());
                    }
                }
            }
            stacks.add(frames);
        }
        return of(threads, stacks);
    }

    /** The summary of samples given as thread names and stacks (top first), index by index. */
    static JfrSummary of(List<String> threads, List<List<String>> stacks) {
        Map<Category, Integer> byCategory = new EnumMap<>(Category.class);
        for (Category category : Category.values()) {
            byCategory.put(category, 0);
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        int request = 0;
        int other = 0;
        for (int i = 0; i < stacks.size(); i++) {
            if (!isRequestThread(threads.get(i))) {
                other++;
                continue;
            }
            request++;
            List<String> frames = stacks.get(i);
            byCategory.merge(categorise(frames), 1, Integer::sum);
            if (!frames.isEmpty()) {
                self.merge(frames.get(0), 1, Integer::sum);
            }
            frames.stream().filter(f -> !isJdk(f)).findFirst().ifPresent(f -> own.merge(f, 1, Integer::sum));
        }
        return new JfrSummary(request, other, byCategory, top(self), top(own));
    }

    private static boolean isJdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun.");
    }

    private static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts) {
        List<Map.Entry<String, Integer>> top = new ArrayList<>(counts.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return List.copyOf(top.subList(0, Math.min(TOP, top.size())));
    }

    /** The share of request-thread samples in a category, 0 to 1. */
    double share(Category category) {
        return requestSamples == 0 ? 0 : byCategory.getOrDefault(category, 0) / (double) requestSamples;
    }
}
