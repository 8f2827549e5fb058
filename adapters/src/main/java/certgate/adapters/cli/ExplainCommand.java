package certgate.adapters.cli;

import certgate.adapters.store.OpenedStore;
import certgate.adapters.store.Progress;
import certgate.adapters.store.Replay;
import certgate.engine.Decision;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.log.CorruptLogException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code certgate explain DECISION-ID}: rebuilds the state from the events before the request, decides it again,
 * prints the trace, and says whether the result is the decision the log recorded. Reads without the writer lock.
 */
public final class ExplainCommand implements Command {
    private final StoreOption store;

    public ExplainCommand() {
        this(StoreOption.ofProcess());
    }

    ExplainCommand(StoreOption store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public String summary() {
        return "re-decide one recorded decision from the log, print its trace, compare";
    }

    @Override
    public String help() {
        return """
                Usage: certgate explain DECISION-ID [--format text|json] [--store DIR]

                Finds the request with that id in the event store (the id 'certgate validate' printed, d-N)
                and its recorded decision, rebuilds the state from the events before the request, decides the
                request again as recorded (its time, identity and settings), prints the trace as
                'certgate verify' does, and says whether the verdict and reason match the recorded ones.

                Options:
                  --format text|json     text (default), or one JSON object: the object of 'certgate verify
                                         --format json' for the re-decision, with "request", "recorded"
                                         (null without a recorded decision) and "matches"
                """ + StoreOption.HELP + """

                Exit status:
                  0  the decision re-decides the same
                  1  it does not, or the request has no recorded decision
                  2  usage error; no such id in the store; no store there; the store cannot be read
                  5  the store is damaged
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        String id;
        boolean json;
        try {
            args = Args.parser().value("--format").value(StoreOption.OPTION).positionals("DECISION-ID", 1, 1)
                    .parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            id = args.positionals().get(0);
            json = DecisionOptions.json(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
        Progress progress = Terminal.progress(stderr, count -> "explain: " + count + " events read");
        // validate's ids name the request's sequence (d-N): a snapshot before it holds everything explain needs.
        Optional<Long> requestSequence = sequenceNamedBy(id);
        Search search;
        try {
            search = Search.of(dir, id, OpenedStore.Opening.snapshots(progress, Terminal.warnings(stderr, name()))
                    .fitting(covered -> requestSequence.map(n -> covered.nextSequence() <= n).orElse(false)));
            if (search.opened().openedFrom().isPresent() && !search.foundAt(requestSequence.orElseThrow())) {
                // Not after the snapshot after all (an id another writer chose): the whole log, then.
                search = Search.of(dir, id, OpenedStore.Opening.wholeLog(progress));
            }
        } catch (CorruptLogException | UncheckedIOException e) {
            progress.done();
            return StoreOption.readFailed(name(), e, stderr);
        }
        Replay replay = search.replay();
        Optional<Replay.Answer> found = Optional.ofNullable(search.answered().get());
        Optional<Replay.Request> request = found.flatMap(Replay.Answer::request).or(() -> replay.pending(id));
        if (request.isEmpty()) {
            stderr.println(Main.PROGRAM + " " + name() + ": no request with id '" + Terminal.safe(id) + "' in "
                    + dir + " (" + replay.events() + " events; ids are what 'certgate validate' printed, d-N)");
            return ExitStatus.USAGE;
        }
        ValidationRequested asked = request.get().request();
        Decision redecided = request.get().redecide();
        if (json) {
            return json(id, request.get(), redecided, found, stdout);
        }
        stdout.println("request " + Terminal.safe(id) + " at sequence " + request.get().recorded().sequence()
                + " (appended " + request.get().recorded().appendedAt() + "), validation time " + asked.at()
                + asked.identity().map(identity -> ", id " + Terminal.safe(identity.toString())).orElse("")
                + ", peer sha256 " + asked.peer().sha256Hex().substring(0, 16)
                + (asked.chain().isEmpty() ? "" : ", " + asked.chain().size() + " chain certificate(s)")
                + asked.gateway().map(gateway -> ", gateway " + Terminal.safe(gateway)).orElse("")
                + asked.policyRevision().map(revision -> ", policy revision " + Terminal.safe(revision)).orElse(""));
        stdout.println("re-decided from the " + request.get().recorded().sequence() + " events before it:");
        stdout.print(DecisionFormat.text(redecided));
        if (found.isEmpty()) {
            stdout.println("recorded: no decision (the writer stopped between the request and its decision)");
            stdout.println("matches recorded decision: no");
            return ExitStatus.REJECTED;
        }
        ValidationDecided recorded = found.get().decision();
        boolean matches = found.get().matches(redecided);
        stdout.println("recorded: " + DecisionFormat.lower(recorded.verdict()) + " " + recorded.reason().name()
                + " (at sequence " + found.get().recorded().sequence() + ", appended "
                + found.get().recorded().appendedAt() + ")");
        stdout.println("matches recorded decision: " + (matches ? "yes" : "no"));
        return matches ? ExitStatus.OK : ExitStatus.REJECTED;
    }

    /** The fold that looked for the decision, and the answer it found. */
    private record Search(OpenedStore opened, String id, Replay replay, AtomicReference<Replay.Answer> answered) {
        static Search of(Path dir, String id, OpenedStore.Opening opening) {
            AtomicReference<Replay.Answer> answered = new AtomicReference<>();
            Replay replay = Replay.listening(answer -> {
                if (answered.get() == null && answer.decision().requestId().equals(id)
                        && answer.request().isPresent()) {
                    answered.set(answer);
                }
            });
            // Stops at the first event after the decision asked for: the fold before it is all explain needs.
            OpenedStore opened = OpenedStore.reading(dir, replay, event -> answered.get() == null, opening);
            return new Search(opened, id, replay, answered);
        }

        /** Whether the request found is the one at {@code sequence}, as validate's ids d-N promise. */
        boolean foundAt(long sequence) {
            Optional<Replay.Request> request = Optional.ofNullable(answered.get())
                    .flatMap(Replay.Answer::request).or(() -> replay.pending(id()));
            return request.map(found -> found.recorded().sequence() == sequence).orElse(false);
        }
    }

    /** N of an id d-N, the sequence 'certgate validate' appended its request at. */
    private static Optional<Long> sequenceNamedBy(String id) {
        if (!id.matches("d-[0-9]{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(id.substring(2)));
    }

    /** The re-decision as the object of 'certgate verify --format json', with the request and the record. */
    private static int json(String id, Replay.Request request, Decision redecided, Optional<Replay.Answer> found,
                            PrintStream stdout) {
        ObjectNode root = DecisionFormat.json(id, redecided);
        ValidationRequested asked = request.request();
        ObjectNode node = root.putObject("request").put("sequence", request.recorded().sequence())
                .put("appendedAt", request.recorded().appendedAt().toString()).put("at", asked.at().toString())
                .put("peerSha256", asked.peer().sha256Hex()).put("chainCertificates", asked.chain().size());
        asked.identity().ifPresentOrElse(identity -> node.put("id", identity.toString()), () -> node.putNull("id"));
        asked.gateway().ifPresentOrElse(gateway -> node.put("gateway", gateway), () -> node.putNull("gateway"));
        asked.policyRevision().ifPresentOrElse(revision -> node.put("policyRevision", revision),
                () -> node.putNull("policyRevision"));
        boolean matches = found.map(answer -> answer.matches(redecided)).orElse(false);
        found.ifPresentOrElse(answer -> root.putObject("recorded")
                .put("verdict", DecisionFormat.lower(answer.decision().verdict()))
                .put("reason", answer.decision().reason().name()).put("sequence", answer.recorded().sequence())
                .put("appendedAt", answer.recorded().appendedAt().toString()), () -> root.putNull("recorded"));
        root.put("matches", matches);
        stdout.println(DecisionFormat.oneLine(root));
        return matches ? ExitStatus.OK : ExitStatus.REJECTED;
    }
}
