package org.cbhealth.bench.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cbhealth.bench.MachineDescription;

/**
 * The fault-injection harness's result file: the machine, the command, the timeline of faults, one
 * {@code | key | value |} counts table (read by {@code .ci/run} with awk), the times, and each acceptance check passed
 * or failed.
 */
record FaultReport(
        MachineDescription machine,
        String when,
        String commit,
        String command,
        String setup,
        List<String> timeline,
        FaultFigures figures,
        Times times,
        Map<String, Integer> retryOutcomes,
        String parkedSource,
        String loadBefore,
        String loadAfter) {

    /** The run's times; {@code drainFromLastFault} and {@code stop} may be null (no fault, stop not measured). */
    record Times(
            Duration sendingPhase,
            Duration drainFromLastSend,
            Duration drainFromLastFault,
            boolean drained,
            Duration drainLimit,
            List<Duration> hubStarts,
            Duration stop,
            Duration total) {}

    /** One acceptance check. */
    record Check(String name, boolean passed, String detail) {}

    /** The bound on a graceful stop (RELIABILITY.md, promise 5). */
    static final Duration STOP_BOUND = Duration.ofSeconds(30);

    List<Check> checks() {
        FaultFigures f = figures;
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(
                "0 lost",
                f.lost() == 0,
                f.lostNotStored() + " acknowledged not stored, " + f.lostNotDelivered() + " stored not delivered"));
        checks.add(new Check("0 duplicated in the store", f.duplicatedInStore() == 0, f.duplicatedInStore() + ""));
        checks.add(new Check(
                "0 effective duplicate deliveries",
                f.effectiveDuplicates() == 0,
                f.effectiveDuplicates() + " (" + f.duplicateReceipts() + " redeliveries of the same MSH-10)"));
        checks.add(new Check(
                "parked = poison",
                f.parkedReferrals() == f.poison() && f.parkedPoison() == f.poison() && f.parkedOther() == 0,
                f.parked() + " parked entries: " + f.parkedPoison() + " of " + f.poison()
                        + " poison referrals, " + f.parkedOther() + " other entries (a poison message resent"
                        + " after a kill may be parked again: referrals are counted once)"));
        checks.add(new Check("DLQ empty", f.deadLetters() == 0, f.deadLetters() + " messages"));
        checks.add(new Check(
                "every good referral acknowledged",
                f.unanswered() == 0 && f.goodRefused() == 0,
                f.unanswered() + " without a final answer, " + f.goodRefused() + " good ones refused"));
        checks.add(new Check(
                "duplicate sends accepted",
                f.duplicatesAccepted() == f.duplicatesSent(),
                f.duplicatesAccepted() + " of " + f.duplicatesSent()));
        checks.add(new Check(
                "poison refused or parked, never stored",
                f.poisonAccepted() == 0 && f.storedPoison() == 0,
                f.poisonAccepted() + " answered AA/2xx, " + f.storedPoison() + " stored"));
        checks.add(new Check(
                "drained within " + seconds(times.drainLimit()),
                times.drained(),
                times.drained() ? "yes" : "no: the checker counted at the limit"));
        checks.add(new Check(
                "graceful stop < " + STOP_BOUND.toSeconds() + " s",
                times.stop() != null && times.stop().compareTo(STOP_BOUND) < 0,
                times.stop() == null ? "killed after the bound" : seconds(times.stop())));
        return checks;
    }

    boolean passed() {
        return checks().stream().allMatch(Check::passed);
    }

    String render() {
        FaultFigures f = figures;
        StringBuilder md = new StringBuilder();
        md.append("# Fault injection: nothing lost, nothing twice (issue #7)\n\n");
        md.append("Run ")
                .append(when)
                .append(", commit ")
                .append(commit)
                .append(". Command:\n\n```\n")
                .append(command)
                .append("\n```\n\n");
        md.append(setup).append("\n\n");
        md.append(machine.asMarkdown())
                .append("| load average before / after | ")
                .append(loadBefore)
                .append(" / ")
                .append(loadAfter)
                .append(" |\n\n");
        md.append("## Result: ").append(passed() ? "PASS" : "FAIL").append("\n\n");
        md.append("| check | | |\n| --- | --- | --- |\n");
        for (Check c : checks()) {
            md.append("| ")
                    .append(c.name())
                    .append(" | ")
                    .append(c.passed() ? "pass" : "FAIL")
                    .append(" | ")
                    .append(c.detail())
                    .append(" |\n");
        }
        md.append("\n## Counts\n\n| key | value |\n| --- | --- |\n");
        row(md, "referrals", f.referrals());
        row(md, "sent", f.sent());
        row(md, "attempts", f.attempts());
        row(md, "acknowledged", f.acknowledged());
        row(md, "refused", f.refused());
        row(md, "unanswered", f.unanswered());
        row(md, "poison", f.poison());
        row(md, "poison refused", f.poisonRefused());
        row(md, "duplicate sends", f.duplicatesSent());
        row(md, "duplicate sends accepted", f.duplicatesAccepted());
        row(md, "stored", f.stored());
        row(md, "duplicated in store", f.duplicatedInStore());
        row(md, "delivered", f.delivered());
        row(md, "receipts", f.receipts());
        row(md, "duplicate receipts", f.duplicateReceipts());
        row(md, "effective duplicate deliveries", f.effectiveDuplicates());
        row(md, "lost", f.lost());
        row(md, "parked", f.parked());
        row(md, "parked referrals", f.parkedReferrals());
        row(md, "parked other", f.parkedOther());
        row(md, "dlq", f.deadLetters());
        md.append("| drain time from the last fault | ")
                .append(seconds(times.drainFromLastFault()))
                .append(" |\n");
        md.append("| drain time from the last send | ")
                .append(seconds(times.drainFromLastSend()))
                .append(" |\n");
        md.append("| sending phase | ").append(seconds(times.sendingPhase())).append(" |\n");
        md.append("| hub start-ups | ")
                .append(String.join(
                        ", ",
                        times.hubStarts().stream().map(FaultReport::seconds).toList()))
                .append(" |\n");
        md.append("| graceful stop (SIGTERM) | ").append(seconds(times.stop())).append(" |\n");
        md.append("| whole run | ").append(seconds(times.total())).append(" |\n");
        md.append(
                        "\nacknowledged: the first send's final answer accepted it (MLLP AA, the broker's commit of a JMS send,"
                                + " REST 2xx); refused: AE/AR or 4xx. lost = acknowledged good referrals not stored + stored ones not"
                                + " delivered. Duplicate receipts are redeliveries of the same MSH-10 (a receiver drops them);"
                                + " effective duplicates arrive under another MSH-10. Parked counted from ")
                .append(parkedSource)
                .append(".\n");
        md.append("\n## Timeline (seconds from the first send)\n\n");
        for (String event : timeline) {
            md.append("- ").append(event).append('\n');
        }
        md.append("\n## Attempts without a final answer, by outcome\n\n| outcome | attempts |\n| --- | --- |\n");
        if (retryOutcomes.isEmpty()) {
            md.append("| (none) | 0 |\n");
        }
        retryOutcomes.forEach((k, v) -> md.append("| ")
                .append(k.replace("|", "/"))
                .append(" | ")
                .append(v)
                .append(" |\n"));
        return md.toString();
    }

    private static void row(StringBuilder md, String key, long value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    static String seconds(Duration d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
