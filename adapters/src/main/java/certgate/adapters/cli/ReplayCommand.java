package certgate.adapters.cli;

import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.adapters.text.Times;
import certgate.engine.CrlNeed;
import certgate.engine.LoadRejection;
import certgate.engine.LoadedCrl;
import certgate.engine.TrustedCertificate;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.CorruptLogException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code certgate replay}: the state of the store at a point of its history, rebuilt from the log alone: the
 * trusted CA certificates, the CRLs and whether they are fresh at that point, and the decisions recorded up to it,
 * counted by verdict and reason. Reads without the writer lock, so it runs beside a writer.
 */
public final class ReplayCommand implements Command {
    private final Clock clock;
    private final StoreOption store;

    public ReplayCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    ReplayCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "rebuild the store's state at a point of its history: CAs, CRLs, decisions";
    }

    @Override
    public String help() {
        return """
                Usage: certgate replay [--until TIME | --until-seq N] [--format text|json] [--store DIR]

                Rebuilds the state from the event log alone and prints it: the trusted CA certificates with
                their profiles and validity, the CRLs with their dates and whether they are fresh at that
                point, the policy in force, the decisions recorded up to it counted by verdict and reason,
                requests left without a decision, loads the engine kept out, and the gateways' own (local)
                certificates with gateway, subject, issuer, serial, notAfter and the days left to it.

                Options:
                  --until TIME           the state as it was at TIME (ISO-8601, 2030-01-01T00:00:00Z or a
                                         date): the events appended up to TIME, by their append times (the
                                         replay stops at the first event appended after TIME). Freshness is
                                         judged at TIME.
                  --until-seq N          the state after the event with sequence number N (included).
                                         Freshness is judged at that event's append time.
                                         Without either: the whole log, freshness judged now.
                  --format text|json     text (default), or one JSON object with the same facts
                """ + StoreOption.HELP + """

                Exit status:
                  0  done
                  2  usage error; no store there; the store cannot be read
                  5  the store is damaged (the message names the first bad record)
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        Optional<Instant> untilTime;
        Optional<Long> untilSequence;
        boolean json;
        try {
            args = Args.parser().value("--until").value("--until-seq").value("--format").value(StoreOption.OPTION)
                    .parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            if (args.value("--until").isPresent() && args.value("--until-seq").isPresent()) {
                throw new UsageException("--until and --until-seq exclude each other");
            }
            untilTime = time(args, "--until");
            untilSequence = sequence(args, "--until-seq");
            json = DecisionOptions.json(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
        Replay replay = Replay.counting();
        boolean[] stoppedEarly = {false};
        Predicate<RecordedEvent> keepGoing = event -> {
            if (untilTime.isPresent() && event.appendedAt().isAfter(untilTime.get())
                    || untilSequence.isPresent() && event.sequence() > untilSequence.get()) {
                stoppedEarly[0] = true;
                return false;
            }
            return true;
        };
        Progress progress = Terminal.progress(stderr, count -> "replay: " + count + " events read");
        try {
            // A snapshot fits when every event it covers is one the replay would fold.
            OpenedStore.reading(dir, replay, keepGoing, OpenedStore.Opening.snapshots(progress,
                    Terminal.warnings(stderr, name())).fitting(covered -> untilSequence.map(
                            last -> covered.nextSequence() - 1 <= last).orElse(true)
                    && untilTime.map(time -> !covered.latestAppendedAt().isAfter(time)).orElse(true)));
        } catch (CorruptLogException | UncheckedIOException e) {
            progress.done();
            return StoreOption.readFailed(name(), e, stderr);
        }
        Instant freshAt = untilTime.orElseGet(() -> untilSequence.isPresent()
                ? replay.lastAppendedAt().orElse(Instant.EPOCH) : clock.instant());
        if (json) {
            stdout.println(DecisionFormat.oneLine(json(dir, replay, untilSequence, stoppedEarly[0], freshAt)));
        } else {
            stdout.print(describe(dir, replay, untilTime, untilSequence, stoppedEarly[0], freshAt));
        }
        return ExitStatus.OK;
    }

    /** The state as one JSON object: the same facts as the text, by name. */
    static ObjectNode json(Path dir, Replay replay, Optional<Long> untilSequence, boolean stoppedEarly,
                                   Instant freshAt) {
        ObjectNode root = DecisionFormat.object();
        root.put("store", dir.toString());
        root.put("events", replay.events());
        Optional<RecordedEvent> last = replay.last();
        if (last.isPresent()) {
            root.put("lastSequence", last.get().sequence());
            root.put("lastAppendedAt", last.get().appendedAt().toString());
        } else {
            root.putNull("lastSequence");
            root.putNull("lastAppendedAt");
        }
        root.put("logEndsBeforeUntilSeq", untilSequence.isPresent() && !stoppedEarly
                && last.map(e -> e.sequence() < untilSequence.get()).orElse(true));
        root.put("freshAt", freshAt.toString());
        ArrayNode cas = root.putArray("trustedCaCertificates");
        for (TrustedCertificate ca : replay.engine().trustedCertificates()) {
            ObjectNode node = cas.addObject();
            node.put("subject", ca.subject());
            ca.profiles().stream().sorted().forEach(node.putArray("profiles")::add);
            node.put("serial", ca.serialHex()).put("sha256", ca.sha256())
                    .put("notBefore", ca.notBefore().toString()).put("notAfter", ca.notAfter().toString())
                    .put("state", freshAt.isAfter(ca.notAfter()) ? "expired"
                            : freshAt.isBefore(ca.notBefore()) ? "not-yet-valid" : "valid");
        }
        ArrayNode crls = root.putArray("crls");
        for (LoadedCrl crl : replay.engine().crls()) {
            ObjectNode node = crls.addObject().put("issuer", crl.issuer()).put("fresh", crl.freshAt(freshAt))
                    .put("thisUpdate", crl.thisUpdate().toString());
            crl.nextUpdate().ifPresentOrElse(next -> node.put("nextUpdate", next.toString()),
                    () -> node.putNull("nextUpdate"));
            node.put("entries", crl.entries()).put("sha256", crl.sha256()).put("source", crl.source());
        }
        ArrayNode perCa = root.putArray("caCrls");
        for (CrlNeed need : replay.engine().caCrls(freshAt, replay.engine().activePolicy())) {
            ObjectNode node = perCa.addObject().put("issuer", need.issuer())
                    .put("status", DecisionFormat.lower(need.status()));
            need.inForce().ifPresentOrElse(crl -> node.put("sha256", crl.sha256()).put("source", crl.source()),
                    () -> node.putNull("sha256").putNull("source"));
            need.lastChecked().ifPresentOrElse(t -> node.put("fetchedAt", t.toString()), () -> node.putNull("fetchedAt"));
            need.nextDue().ifPresentOrElse(t -> node.put("nextDue", t.toString()), () -> node.putNull("nextDue"));
            need.lastFailure().ifPresentOrElse(failure -> node.putObject("lastFailure").put("url", failure.url())
                    .put("reason", failure.reason().name()).put("at", failure.at().toString())
                    .put("detail", failure.detail()), () -> node.putNull("lastFailure"));
            ArrayNode sources = node.putArray("sources");
            need.sources().forEach(source -> sources.add(source.url().toString()));
        }
        replay.engine().activePolicy().ifPresentOrElse(policy -> root.putObject("activePolicy")
                .put("revision", policy.revision()).put("source", policy.sourceName()),
                () -> root.putNull("activePolicy"));
        Map<Verdict, Long> verdicts = replay.byVerdict();
        ObjectNode decisions = root.putObject("decisions").put("total", replay.decisions())
                .put("accept", verdicts.get(Verdict.ACCEPT)).put("reject", verdicts.get(Verdict.REJECT));
        ObjectNode byReason = decisions.putObject("byReason");
        replay.byReason().forEach((reason, count) -> byReason.put(reason.name(), count));
        ArrayNode unanswered = root.putArray("requestsWithoutDecision");
        for (Replay.Request request : replay.unanswered()) {
            unanswered.addObject().put("requestId", request.request().requestId())
                    .put("sequence", request.recorded().sequence());
        }
        LocalCertificateList.json(LocalCertificateList.of(replay), freshAt, root.putArray("localCertificates"));
        ArrayNode rejected = root.putArray("rejectedLoads");
        for (LoadRejection rejection : replay.engine().rejectedLoads()) {
            rejected.addObject().put("kind", DecisionFormat.lower(rejection.kind())).put("sha256", rejection.sha256())
                    .put("origin", rejection.origin()).put("problem", rejection.problem());
        }
        return root;
    }

    private static String describe(Path dir, Replay replay, Optional<Instant> untilTime, Optional<Long> untilSequence,
                                   boolean stoppedEarly, Instant freshAt) {
        StringBuilder out = new StringBuilder();
        out.append("store ").append(dir).append('\n');
        Optional<RecordedEvent> last = replay.last();
        if (last.isEmpty()) {
            out.append("state: empty (no event").append(untilTime.map(t -> " appended at or before " + t)
                    .orElse(untilSequence.isPresent() ? " up to that sequence" : "")).append(")\n");
        } else {
            out.append("state after sequence ").append(last.get().sequence()).append(" (appended ")
                    .append(last.get().appendedAt()).append("): ").append(replay.events()).append(" events\n");
        }
        if (untilSequence.isPresent() && !stoppedEarly && last.map(e -> e.sequence() < untilSequence.get())
                .orElse(true)) {
            out.append("note: the log ends before sequence ").append(untilSequence.get()).append('\n');
        }
        out.append("freshness judged at ").append(freshAt).append("\n\n");

        List<TrustedCertificate> cas = replay.engine().trustedCertificates();
        out.append("trusted CA certificates: ").append(cas.size()).append('\n');
        for (TrustedCertificate ca : cas) {
            String state = freshAt.isAfter(ca.notAfter()) ? "  EXPIRED"
                    : freshAt.isBefore(ca.notBefore()) ? "  NOT YET VALID" : "";
            out.append("  ").append(Terminal.safe(ca.subject())).append('\n');
            out.append("      profiles ").append(String.join(",", ca.profiles().stream().sorted().toList()))
                    .append("  serial ").append(ca.serialHex()).append("  sha256 ").append(ca.sha256(), 0, 16)
                    .append("  valid ").append(ca.notBefore()).append(" to ").append(ca.notAfter()).append(state)
                    .append('\n');
        }
        List<LoadedCrl> crls = replay.engine().crls();
        out.append("CRLs: ").append(crls.size()).append('\n');
        for (LoadedCrl crl : crls) {
            out.append("  ").append(Terminal.safe(crl.issuer())).append('\n');
            out.append("      ").append(crl.freshAt(freshAt) ? "fresh" : "STALE").append("  thisUpdate ")
                    .append(crl.thisUpdate()).append("  nextUpdate ")
                    .append(crl.nextUpdate().map(Instant::toString).orElse("none")).append("  entries ")
                    .append(crl.entries()).append("  sha256 ").append(crl.sha256(), 0, 16).append("  ")
                    .append(Terminal.safe(crl.source())).append('\n');
        }
        List<CrlNeed> perCa = replay.engine().caCrls(freshAt, replay.engine().activePolicy());
        out.append("CRL of each CA (in force, where from, when fetched, next due, last failure): ").append(perCa.size())
                .append('\n');
        for (CrlNeed need : perCa) {
            out.append("  ").append(Terminal.safe(need.issuer())).append('\n');
            out.append("      ").append(need.status() == CrlNeed.Status.FRESH ? "fresh" : need.status().name())
                    .append("  ").append(need.inForce().map(crl -> "sha256 " + crl.sha256().substring(0, 16)
                            + "  from " + Terminal.safe(crl.source())).orElse("no CRL"))
                    .append("  fetched ").append(need.lastChecked().map(Instant::toString).orElse("never"))
                    .append("  next due ").append(need.nextDue().map(Instant::toString).orElse("now")).append('\n');
            need.lastFailure().ifPresent(failure -> out.append("      last failure ").append(failure.at())
                    .append(' ').append(Terminal.safe(failure.url())).append(": ").append(failure.reason())
                    .append(failure.detail().isEmpty() ? "" : " (" + Terminal.safe(failure.detail()) + ")")
                    .append('\n'));
            if (!need.sources().isEmpty()) {
                out.append("      sources ").append(Terminal.safe(String.join(", ", need.sources().stream()
                        .map(source -> source.url().toString()).toList()))).append('\n');
            }
        }
        out.append("active policy: ").append(replay.engine().activePolicy()
                .map(policy -> "revision " + policy.revision() + " (" + Terminal.safe(policy.sourceName()) + ")")
                .orElse("none")).append('\n');
        Map<Verdict, Long> verdicts = replay.byVerdict();
        out.append("decisions: ").append(replay.decisions()).append(" (accept ").append(verdicts.get(Verdict.ACCEPT))
                .append(", reject ").append(verdicts.get(Verdict.REJECT)).append(")\n");
        for (Map.Entry<Reason, Long> reason : replay.byReason().entrySet()) {
            out.append(String.format("  %-28s %d%n", reason.getKey().name(), reason.getValue()));
        }
        List<Replay.Request> unanswered = replay.unanswered();
        out.append("requests without a decision: ").append(unanswered.size()).append('\n');
        for (Replay.Request request : unanswered.subList(0, Math.min(unanswered.size(), 20))) {
            out.append("  ").append(Terminal.safe(request.request().requestId())).append(" at sequence ")
                    .append(request.recorded().sequence()).append('\n');
        }
        List<LoadRejection> rejected = replay.engine().rejectedLoads();
        out.append("loads the engine kept out: ").append(rejected.size()).append('\n');
        for (LoadRejection rejection : rejected) {
            out.append("  ").append(DecisionFormat.lower(rejection.kind())).append(' ')
                    .append(rejection.sha256(), 0, 16).append(" (").append(Terminal.safe(rejection.origin()))
                    .append("): ").append(Terminal.safe(rejection.problem())).append('\n');
        }
        List<LocalCertificateList.Entry> locals = LocalCertificateList.of(replay);
        out.append("local certificates: ").append(locals.size()).append('\n');
        LocalCertificateList.text(locals, freshAt, out);
        return out.toString();
    }

    static Optional<Instant> time(Args args, String option) throws UsageException {
        try {
            return args.value(option).map(Times::parse);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    static Optional<Long> sequence(Args args, String option) throws UsageException {
        Optional<String> given = args.value(option);
        if (given.isEmpty()) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(given.get());
            if (value >= 0) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " '" + given.get() + "' is not a sequence number (0 or more)");
    }
}
