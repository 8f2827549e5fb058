package certgate.adapters.cli;

import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.fetch.CrlRefresh;
import certgate.adapters.fetch.FetcherFactory;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.pem.PkiFiles.Kind;
import certgate.adapters.store.LoadCheck;
import certgate.adapters.store.LoadCheck.Accepted;
import certgate.adapters.store.LoadCheck.Outcome;
import certgate.adapters.store.LoadCheck.Refused;
import certgate.adapters.store.OpenedStore;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.CrlNeed;
import certgate.engine.Decision;
import certgate.engine.PolicyDecisions;
import certgate.eventstore.Blob;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code certgate validate}: one decision against the store's state, recorded. The CRLs given with it are checked
 * like {@code load crl} and appended first; then the request, then the decision, each durable before the next
 * step, and the decision is printed only once its event is durable. The decision's id is {@code d-} and the
 * sequence number of its request, unique in the store since one writer at a time numbers the events.
 */
public final class ValidateCommand implements Command {
    private final Clock clock;
    private final StoreOption store;
    private final FetcherFactory fetchers;

    public ValidateCommand(Clock clock) {
        this(clock, StoreOption.ofProcess(), FetcherFactory.standard());
    }

    ValidateCommand(Clock clock, StoreOption store) {
        this(clock, store, FetcherFactory.standard());
    }

    ValidateCommand(Clock clock, StoreOption store, FetcherFactory fetchers) {
        this.clock = clock;
        this.store = store;
        this.fetchers = fetchers;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "decide whether a peer's certificate is acceptable against the store, and record it";
    }

    @Override
    public String help() {
        return """
                Usage: certgate validate --peer FILE [--chain FILE]... [--crl FILE]... [--id TYPE:VALUE]
                                         [--at TIME] [OPTIONS] [--store DIR]

                Decides whether an IKE peer's certificate is acceptable against the CA certificates and CRLs
                loaded in the event store (see 'certgate load'), and records the request and the decision in
                the store, durably, before printing the decision with its id (d-N, N the sequence number of
                the request) for 'certgate explain'.

                Inputs:
                  --peer FILE            the peer's certificate (PEM or DER). Further certificates in the same
                                         file are taken as the chain the peer sent. A file that cannot be
                                         parsed is a rejection (MALFORMED_CERTIFICATE), recorded as such.
                  --chain FILE...        certificates the peer sent with its own. Repeatable.
                  --crl FILE...          CRLs to load first, checked and appended as 'certgate load crl' does.
                  --id TYPE:VALUE        the IKE ID the peer presented: ip:, fqdn:, ufqdn:, dn:. Default: none.
                  --at TIME              the validation time, ISO-8601 (2030-01-01T00:00:00Z, or a date).
                                         Default: the current time.
                  --no-fetch             decide with the CRLs the store holds; fetch none (see below)

                CRLs fetched on demand: before deciding, when a CRL the peer's path needs is missing from the
                store or due (its nextUpdate passed, or the CA profile's refresh-interval elapsed since it
                was fetched), it is fetched from, in order: the distribution points in the certificate whose
                issuer's CRL is needed (only once that certificate's signature has verified along the path),
                the CA profile's URLs, the policy's default-cdp. What each source gave is appended to the
                store first (the CRL, "unchanged", or the failure), so the decision, and every replay of it,
                sees the same CRLs; the decision's trace names each source and what happened. When no source
                gives a CRL, the CA profile's on-download-failure decides: reject (CRL_UNAVAILABLE) or accept
                with a warning that revocation was not checked.

                Settings (recorded with the request, so a replay decides the same way):
                  --revocation-check crl|disable       default crl
                  --on-download-failure reject|accept  default reject (fail closed)
                  --path-validation partial|full       default partial
                  --max-ca-levels N                    1..16, default 7
                  --allow-sha1                         accept SHA-1 signatures

                Policy: the store's active policy ('certgate policy activate') decides, when there is one:
                the settings then come from its CA profiles, and its revision is recorded with the request.
                --policy FILE decides this request under FILE instead; FILE's source is recorded first unless
                the store already holds that revision, without making it the active policy.
                """ + PolicyOption.HELP + """

                Output:
                  --format text|json     text (default): the decision's id and sequence numbers, then the
                                         verdict, reason and trace as 'certgate verify' prints them. json: the
                                         object of 'certgate verify --format json' with "sequence" (of the
                                         decision) and "requestSequence".
                """ + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Exit status:
                  0  accepted
                  1  rejected
                  2  usage error (an --id that is not an IKE ID of its type included); a --crl file refused
                     or unreadable (nothing appended); a --peer or --chain file that cannot be read
                  3  internal error (a bug in certgate; please report it)
                  4  the store is busy: another command is writing to it (see --wait)
                  5  the store is damaged: see 'certgate log repair'
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        Options options;
        try {
            args = PolicyOption.declare(Args.parser())
                    .value("--peer").values("--chain").values("--crl").value("--id").value("--at")
                    .value("--revocation-check").value("--on-download-failure").value("--path-validation")
                    .value("--max-ca-levels").flag("--allow-sha1").flag("--no-fetch").value("--format")
                    .value(StoreOption.OPTION)
                    .value(StoreOption.WAIT).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            options = Options.from(args, store.workingDirectory());
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        List<LoadCheck.Named> crls = new ArrayList<>();
        Submitted peer;
        List<Blob> chain = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            for (String file : options.crls()) {
                crls.addAll(StoreWrite.objects(store.workingDirectory(), file, Kind.CRL));
            }
        } catch (PkiFileException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": --crl " + Terminal.safe(e.getMessage())
                    + "; nothing appended");
            return ExitStatus.USAGE;
        }
        try {
            peer = submitted(options.peer(), "--peer", notes);
            chain.addAll(peer.rest());
            for (String file : options.chain()) {
                chain.addAll(submitted(file, "--chain", notes).certificates());
            }
        } catch (PkiFileException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()) + "; nothing appended");
            return ExitStatus.USAGE;
        }
        for (String note : notes) {
            stderr.println(Main.PROGRAM + " " + name() + ": note: " + Terminal.safe(note)
                    + "; the engine gets the bytes as they are");
        }
        try (FileEventLog log = store.openForAppend(args, clock)) {
            StoreWrite.noteRecovery(log, name(), stderr);
            OpenedStore opened = OpenedStore.appending(log, OpenedStore.Opening.snapshots(
                    Terminal.progress(stderr, count -> name() + ": " + count + " events read"),
                    Terminal.warnings(stderr, name())));
            Optional<CompiledPolicy> active = opened.state().activePolicy();
            if (active.isPresent() && !options.policy().given()) {
                Optional<String> setting = VerifyCommand.SETTING_OPTIONS.stream().filter(args::has).findFirst();
                if (setting.isPresent()) {
                    return Main.usageError(name(), new UsageException(setting.get() + " does not go with the"
                            + " store's active policy (revision " + PolicyOption.shortRevision(
                            active.get().revision()) + "), whose CA profiles set it; --policy FILE decides under"
                            + " another policy"), stderr);
                }
            }
            List<Outcome> outcomes = crls.isEmpty() ? List.of() : opened.check().crls(crls, clock.instant());
            List<Event> loads = new ArrayList<>();
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Refused) {
                    stderr.println(Main.PROGRAM + " " + name() + ": --crl " + Terminal.safe(outcome.origin())
                            + ": refused: " + Terminal.safe(outcome.message()));
                } else if (outcome instanceof Accepted accepted) {
                    loads.add(accepted.event());
                }
            }
            if (outcomes.stream().anyMatch(Refused.class::isInstance)) {
                stderr.println(Main.PROGRAM + " " + name() + ": nothing appended to " + log.directory());
                return ExitStatus.USAGE;
            }
            // An override is recorded for the requests made under it; it does not replace the active policy.
            List<Event> policySource = options.policy().recordWithoutActivating(opened.state());
            int crlCount = loads.size();
            loads.addAll(policySource);
            List<Long> sequences = opened.append(loads);
            if (!policySource.isEmpty()) {
                stderr.println(Main.PROGRAM + " " + name() + ": note: the policy (revision "
                        + options.policy().revision().orElseThrow() + ") was not in the store: recorded at sequence "
                        + sequences.get(crlCount) + " for this request"
                        + active.map(a -> "; the active policy is still revision "
                        + PolicyOption.shortRevision(a.revision())).orElse(" (not activated)"));
            }
            int next = 0;
            for (Outcome outcome : outcomes) {
                String what = outcome instanceof Accepted ? "loaded at sequence " + sequences.get(next++) : "skipped";
                stderr.println(Main.PROGRAM + " " + name() + ": note: --crl " + Terminal.safe(outcome.origin()) + ": "
                        + what + ": " + Terminal.safe(outcome.message()));
            }
            Instant at = options.at().orElseGet(clock::instant);
            ValidationRequested draft = new ValidationRequested("d-" + log.nextSequence(), peer.first(), chain,
                    options.id(), at, options.settings(), Optional.empty(), Optional.empty());
            ValidationRequested bound = options.policy().given() ? options.policy().bind(draft)
                    : active.map(policy -> PolicyDecisions.bind(policy, draft)).orElse(draft);
            if (!args.has("--no-fetch")) {
                fetchBeforeDeciding(opened, bound, stderr);
            }
            // The request's id names the sequence it will be appended at: one writer holds the lock.
            String requestId = "d-" + log.nextSequence();
            ValidationRequested request = new ValidationRequested(requestId, bound.peer(), bound.chain(),
                    bound.identity(), bound.at(), bound.settings(), bound.gateway(), bound.policyRevision());
            OpenedStore.Decided decided = opened.decide(request);
            if (decided.requestSequence() != Long.parseLong(requestId.substring(2))) {
                throw new IllegalStateException("request " + requestId + " was appended at sequence "
                        + decided.requestSequence());
            }
            print(requestId, decided.requestSequence(), decided.decisionSequence(), decided.decision(),
                    options.json(), stdout);
            if (!decided.decision().accepted()) {
                peer.orderHint(options.peer()).ifPresent(hint -> stderr.println(Main.PROGRAM + " " + name()
                        + ": hint: " + Terminal.safe(hint)));
            }
            return decided.decision().accepted() ? ExitStatus.OK : ExitStatus.REJECTED;
        } catch (StoreUnavailable e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return e.status();
        } catch (CorruptLogException | UncheckedIOException e) {
            return StoreOption.readFailed(name(), e, stderr);
        }
    }

    /**
     * Fetches the CRLs the request needs that the store lacks or holds only due, and appends what happened, so
     * that the decision (and every replay of it) sees them. Says on standard error what each CA's fetch gave.
     */
    private void fetchBeforeDeciding(OpenedStore opened, ValidationRequested request, PrintStream stderr) {
        List<CrlNeed> needs = opened.state().crlNeeds(request).stream().filter(CrlNeed::fetchNeeded).toList();
        if (needs.isEmpty()) {
            return;
        }
        Optional<CompiledPolicy> policy = request.policyRevision().flatMap(opened.state()::policy);
        Instant now = clock.instant();
        List<CrlRefresh.Report> reports = CrlRefresh.refresh(opened.state(), needs, fetchers.forPolicy(policy),
                now);
        List<Event> events = CrlRefresh.events(reports);
        List<Long> sequences = events.isEmpty() ? List.of() : opened.append(events);
        int next = 0;
        for (CrlRefresh.Report report : reports) {
            String recorded = report.events().isEmpty() ? "" : " (recorded at sequence " + sequences.get(next)
                    + (report.events().size() > 1 ? ".." + sequences.get(next + report.events().size() - 1) : "")
                    + ")";
            next += report.events().size();
            stderr.println(Main.PROGRAM + " " + name() + ": note: CRL of '" + Terminal.safe(report.need().issuer())
                    + "' needed (" + Terminal.safe(report.need().why()) + "): " + FetchCommand.outcome(report, now)
                    + recorded);
        }
    }

    private Submitted submitted(String file, String option, List<String> notes) throws PkiFileException {
        Submitted sent = Submitted.of(file, PkiFiles.read(store.workingDirectory().resolve(file), Kind.CERTIFICATE));
        sent.problem().ifPresent(problem -> notes.add(option + " " + problem));
        return sent;
    }

    private static void print(String requestId, long requestSequence, long decisionSequence, Decision decision,
                              boolean json, PrintStream stdout) {
        if (json) {
            ObjectNode object = DecisionFormat.json(requestId, decision);
            object.put("sequence", decisionSequence);
            object.put("requestSequence", requestSequence);
            stdout.println(DecisionFormat.oneLine(object));
        } else {
            stdout.println("decision " + requestId + " recorded at sequence " + decisionSequence + " (request at"
                    + " sequence " + requestSequence + ")");
            stdout.print(DecisionFormat.text(decision));
        }
        stdout.flush();
    }

    /** The command line, checked. */
    record Options(String peer, List<String> chain, List<String> crls, Optional<IkeIdentity> id,
                   Optional<Instant> at, ValidationSettings settings, boolean json, PolicyOption policy) {

        static Options from(Args args, Path workingDirectory) throws UsageException {
            String peer = args.value("--peer").orElseThrow(() -> new UsageException("--peer FILE is required"));
            String format = DecisionOptions.choice(args, "--format",
                    Map.of("text", "text", "json", "json"), "text");
            Optional<IkeIdentity> id = DecisionOptions.identity(args);
            Optional<Instant> at = DecisionOptions.time(args);
            ValidationSettings settings = DecisionOptions.settings(args);
            PolicyOption policy = PolicyOption.from(args, workingDirectory, false, VerifyCommand.SETTING_OPTIONS);
            return new Options(peer, args.values("--chain"), args.values("--crl"), id, at, settings,
                    format.equals("json"), policy);
        }
    }
}
