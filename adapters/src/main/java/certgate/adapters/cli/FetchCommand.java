package certgate.adapters.cli;

import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.fetch.CrlRefresh;
import certgate.adapters.fetch.FetcherFactory;
import certgate.adapters.policy.PolicySource;
import certgate.adapters.store.OpenedStore;
import certgate.dsl.Diagnostic;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.CrlNeed;
import certgate.eventstore.Event;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code certgate fetch}: fetches now the CRL of every loaded CA (or of the CAs the named CA profiles trust) from
 * its distribution points, in the engine's order, and appends what happened (the CRL, "unchanged", or each
 * failure) to the store as one batch. Prints one line per CA: the source that gave the CRL, the outcome, the
 * number of entries and the age of the CRL (since its thisUpdate).
 */
public final class FetchCommand implements Command {
    private final Clock clock;
    private final StoreOption store;
    private final FetcherFactory fetchers;

    public FetchCommand(Clock clock) {
        this(clock, StoreOption.ofProcess(), FetcherFactory.standard());
    }

    FetchCommand(Clock clock, StoreOption store, FetcherFactory fetchers) {
        this.clock = clock;
        this.store = store;
        this.fetchers = fetchers;
    }

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public String summary() {
        return "fetch the CRLs of the loaded CAs from their distribution points now, and record what came";
    }

    @Override
    public String help() {
        return """
                Usage: certgate fetch [--profile NAME]... [--policy FILE] [--format text|json] [--store DIR]

                Fetches, now, the CRL of every CA certificate loaded in the store from the distribution
                points the policy names for it: the URLs of each CA profile that trusts the CA (up to 3,
                in order), then the policy's default-cdp. The first source that gives a CRL of that CA,
                signed by it and current, ends the CA's fetch. Every source tried is recorded in the store
                before anything else, as one batch: the CRL (with its URL, the time, the HTTP status, ETag
                and Last-Modified), or "unchanged" (the server answered 304 to a conditional fetch, or sent
                the CRL already held: a few hundred bytes, not the CRL again), or the failure and why
                (refused, timeout, HTTP status, too large, not a CRL, wrong issuer, bad signature, expired,
                LDAP entry or attribute missing, a URL that may not be fetched).

                'certgate validate' fetches on its own, before deciding, when a CRL it needs is missing or
                due; it also follows the CDP of a peer's certificate once the certificate's signature has
                been verified. This command is for refreshing ahead of time (from cron, say).

                Options:
                  --profile NAME         only the CAs this CA profile of the policy trusts. Repeatable.
                  --policy FILE          take the CA profiles' URLs from FILE instead of the store's active
                                         policy (nothing is recorded about FILE itself)
                  --format text|json     text (default): one line per CA; json: one object with "cas"
                """ + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Output (text), one line per CA: the CA, the outcome (fetched, unchanged, failed with each
                source and why, or no-source), where the CRL came from, its entries and its age:
                  'CN=Example Issuing CA, O=Example, C=US'  fetched (HTTP 200)  from
                      http://127.0.0.1:8000/issuing-ca.crl  entries 1  age 2d      (one line)

                Exit status:
                  0  every CA has a CRL from this fetch (fetched or unchanged)
                  1  a CA's fetch failed, or no source applies to it (what was tried is recorded)
                  2  usage error; the policy cannot be read or has errors; no store there
                  4  the store is busy: another command is writing to it (see --wait)
                  5  the store is damaged: see 'certgate log repair'
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        boolean json;
        try {
            args = Args.parser().values("--profile").value(PolicyOption.POLICY).value("--format")
                    .value(StoreOption.OPTION).value(StoreOption.WAIT).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            json = DecisionOptions.json(args);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
        String prefix = Main.PROGRAM + " " + name() + ": ";
        Optional<CompiledPolicy> given = Optional.empty();
        if (args.value(PolicyOption.POLICY).isPresent()) {
            String file = args.value(PolicyOption.POLICY).get();
            try {
                PolicySource source = PolicySource.read(store.workingDirectory().resolve(file), file);
                if (source.policy().isEmpty()) {
                    for (Diagnostic diagnostic : source.result().diagnostics()) {
                        CheckCommand.printLines(diagnostic.toString(), stderr);
                    }
                    stderr.println(prefix + Terminal.safe(file) + " has " + source.result().errors().size()
                            + " error(s): nothing fetched");
                    return ExitStatus.USAGE;
                }
                given = source.policy();
            } catch (PolicySource.Unreadable e) {
                stderr.println(prefix + Terminal.safe(e.getMessage()));
                return ExitStatus.USAGE;
            }
        }
        if (store.existingOrSay(args, name(), stderr).isEmpty()) {
            return ExitStatus.USAGE;
        }
        try (FileEventLog log = store.openForAppend(args, clock)) {
            StoreWrite.noteRecovery(log, name(), stderr);
            OpenedStore opened = OpenedStore.appending(log, Terminal.progress(stderr,
                    count -> name() + ": " + count + " events read"));
            Optional<CompiledPolicy> policy = given.isPresent() ? given : opened.state().activePolicy();
            Set<String> profiles = new LinkedHashSet<>(args.values("--profile"));
            if (!profiles.isEmpty()) {
                if (policy.isEmpty()) {
                    return Main.usageError(name(), new UsageException("--profile needs a policy: the store has no"
                            + " active policy; give --policy FILE"), stderr);
                }
                for (String profile : profiles) {
                    if (policy.get().caProfile(profile).isEmpty()) {
                        return Main.usageError(name(), new UsageException("the policy has no CA profile '" + profile
                                + "' (its profiles: " + String.join(", ", policy.get().caProfiles().stream()
                                .map(CaProfile::name).toList()) + ")"), stderr);
                    }
                }
            }
            Instant now = clock.instant();
            List<CrlNeed> needs = opened.state().caCrls(now, policy, profiles);
            if (needs.isEmpty()) {
                stderr.println(prefix + "no CA certificate is loaded" + (profiles.isEmpty() ? ""
                        : " that the profile(s) " + String.join(", ", profiles) + " trust") + "; nothing fetched");
                return ExitStatus.REJECTED;
            }
            List<CrlRefresh.Report> reports = CrlRefresh.refresh(opened.state(), needs,
                    fetchers.forPolicy(policy), now);
            List<Event> events = CrlRefresh.events(reports);
            List<Long> sequences = events.isEmpty() ? List.of() : opened.append(events);
            print(reports, sequences, now, json, stdout);
            return reports.stream().allMatch(CrlRefresh.Report::gotCrl) ? ExitStatus.OK : ExitStatus.REJECTED;
        } catch (StoreUnavailable e) {
            stderr.println(prefix + Terminal.safe(e.getMessage()));
            return e.status();
        } catch (CorruptLogException | UncheckedIOException e) {
            return StoreOption.readFailed(name(), e, stderr);
        }
    }

    private static void print(List<CrlRefresh.Report> reports, List<Long> sequences, Instant now, boolean json,
                              PrintStream stdout) {
        if (json) {
            ObjectNode root = DecisionFormat.object();
            ArrayNode cas = root.putArray("cas");
            for (CrlRefresh.Report report : reports) {
                ObjectNode node = cas.addObject().put("issuer", report.need().issuer())
                        .put("outcome", DecisionFormat.lower(report.outcome()).replace('_', '-'));
                report.source().ifPresentOrElse(source -> node.put("source", source.url().toString()),
                        () -> node.putNull("source"));
                report.entries().ifPresentOrElse(n -> node.put("entries", n), () -> node.putNull("entries"));
                report.thisUpdate().ifPresentOrElse(t -> node.put("ageSeconds",
                        Duration.between(t, now).toSeconds()), () -> node.putNull("ageSeconds"));
                node.put("detail", report.detail());
            }
            root.put("eventsAppended", sequences.size());
            stdout.println(DecisionFormat.oneLine(root));
            return;
        }
        for (CrlRefresh.Report report : reports) {
            stdout.println(line(report, now));
        }
        if (!sequences.isEmpty()) {
            stdout.println(sequences.size() + " event(s) recorded at sequence " + sequences.get(0)
                    + (sequences.size() > 1 ? ".." + sequences.get(sequences.size() - 1) : ""));
        }
    }

    /** One CA: who, the outcome, where from, entries and age; failures list each source and why. */
    static String line(CrlRefresh.Report report, Instant now) {
        return "'" + Terminal.safe(report.need().issuer()) + "'  " + outcome(report, now);
    }

    /** The outcome of one CA's fetch, as {@link #line} prints it after the CA. */
    static String outcome(CrlRefresh.Report report, Instant now) {
        return switch (report.outcome()) {
            case FETCHED, UNCHANGED -> Terminal.safe(report.detail()) + "  from "
                    + Terminal.safe(report.source().orElseThrow().url().toString()) + "  entries "
                    + report.entries().map(String::valueOf).orElse("?") + "  age "
                    + report.thisUpdate().map(t -> age(Duration.between(t, now))).orElse("?");
            case FAILED -> "failed: " + Terminal.safe(report.detail());
            case NO_SOURCE -> "no-source: " + Terminal.safe(report.detail());
        };
    }

    /** A duration as a person reads an age: 45s, 12m, 5h, 3d. */
    static String age(Duration age) {
        long seconds = age.toSeconds();
        if (seconds < 0) {
            return "not yet current (thisUpdate in " + age(age.negated()) + ")";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 2 * 86_400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86_400 + "d";
    }
}
