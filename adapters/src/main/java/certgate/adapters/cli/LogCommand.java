package certgate.adapters.cli;

import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.adapters.text.Suggest;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.DumpedRecord;
import certgate.eventstore.log.LogDump;
import certgate.eventstore.log.LogVerifier;
import certgate.eventstore.log.VerifyReport;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate log verify|dump}: the integrity check of the store ({@link LogVerifier}) and its records as
 * text or JSON lines ({@link LogDump}). Neither takes the writer lock.
 */
public final class LogCommand implements Command {
    private final StoreOption store;

    public LogCommand() {
        this(StoreOption.ofProcess());
    }

    LogCommand(StoreOption store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String summary() {
        return "verify the event log's checksums and hash chain, or dump its records";
    }

    @Override
    public String help() {
        return """
                Usage: certgate log verify [--head HASH] [--store DIR]
                       certgate log dump [--from-seq N] [--format text|json] [--store DIR]

                verify: checks every segment header, every record's checksum (CRC-32C), sequence number and
                hash chain value (SHA-256 over the record and the chain value before it), decodes every
                payload, and prints the counts and the head: the chain value of the last record. Keep the
                head; '--head HASH' later proves that the log still holds, unaltered, everything up to it
                (records dropped from the end, or any earlier byte changed, and no record has that value).
                A torn final record, the trace of a crash, is reported and passes; the next writer truncates
                it.

                dump: prints every record from sequence N on (default 0), blobs (certificates and CRLs, stored
                once per segment) included. text: one line per record (sequence, append time, kind, type,
                version, summary). json: one object per line with the record's position, chain value and,
                for events, their fields (blobs by SHA-256 and size).

                Options:
                  --head HASH            (verify) a head printed by an earlier verify: 64 hex digits
                  --from-seq N           (dump) the first sequence number to print
                  --format text|json     (dump) default text
                """ + StoreOption.HELP + """

                Exit status:
                  0  verified; dump complete
                  1  the log is damaged or altered: the message names the first bad record (segment file,
                     offset, sequence); for dump, the records before it are printed
                  2  usage error; no store there
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        try {
            args = Args.parser().value("--head").value("--from-seq").value("--format").value(StoreOption.OPTION)
                    .positionals("verify|dump", 0, 1).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            if (args.positionals().isEmpty()) {
                throw new UsageException("say what to do: 'log verify' or 'log dump'");
            }
            String action = args.positionals().get(0);
            if (action.equals("verify")) {
                refuse(args, "--from-seq", "verify");
                refuse(args, "--format", "verify");
                return verify(args, stdout, stderr);
            }
            if (action.equals("dump")) {
                refuse(args, "--head", "dump");
                return dump(args, stdout, stderr);
            }
            throw new UsageException("'" + action + "' is not what log does: 'verify' or 'dump'"
                    + Suggest.hint(action, List.of("verify", "dump")));
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
    }

    private static void refuse(Args args, String option, String action) throws UsageException {
        if (args.value(option).isPresent()) {
            throw new UsageException(option + " does not go with 'log " + action + "'");
        }
    }

    private int verify(Args args, PrintStream stdout, PrintStream stderr) throws UsageException {
        Optional<String> head = args.value("--head");
        if (head.isPresent() && !head.get().trim().matches("[0-9a-fA-F]{64}")) {
            throw new UsageException("--head '" + head.get() + "' is not a head: 64 hex digits, as 'log verify'"
                    + " prints it");
        }
        Path dir;
        try {
            dir = store.existing(args);
        } catch (StoreUnavailable e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return ExitStatus.USAGE;
        }
        VerifyReport report;
        try {
            report = LogVerifier.verify(dir, head);
        } catch (UncheckedIOException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(String.valueOf(e.getMessage())));
            return ExitStatus.USAGE;
        }
        stdout.println("store " + dir);
        for (String line : report.describe().split("\n")) {
            stdout.println(Terminal.safe(line));
        }
        if (!report.passed()) {
            stderr.println(Main.PROGRAM + " " + name() + ": verification failed: first bad record: "
                    + Terminal.safe(report.problem().orElseThrow().describe()));
            return ExitStatus.REJECTED;
        }
        return ExitStatus.OK;
    }

    private int dump(Args args, PrintStream stdout, PrintStream stderr) throws UsageException {
        long from = ReplayCommand.sequence(args, "--from-seq").orElse(0L);
        String format = args.value("--format").orElse("text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format '" + format + "' is not one of json, text");
        }
        boolean json = format.equals("json");
        Path dir;
        try {
            dir = store.existing(args);
        } catch (StoreUnavailable e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return ExitStatus.USAGE;
        }
        try {
            LogDump.dump(dir, from, record -> stdout.println(json
                    ? DecisionFormat.oneLine(json(record)) : Terminal.safe(record.line())));
        } catch (CorruptLogException e) {
            stdout.flush();
            stderr.println(Main.PROGRAM + " " + name() + ": dump stopped at damage: first bad record: "
                    + Terminal.safe(e.problem().describe()) + "; 'certgate log verify' checks the whole store");
            return ExitStatus.REJECTED;
        } catch (UncheckedIOException e) {
            stdout.flush();
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(String.valueOf(e.getMessage())));
            return ExitStatus.USAGE;
        }
        return ExitStatus.OK;
    }

    /** One record as a JSON object; an event's fields under "event", blobs by digest and size. */
    static ObjectNode json(DumpedRecord record) {
        ObjectNode node = DecisionFormat.JSON.createObjectNode();
        node.put("sequence", record.sequence());
        node.put("appendedAt", record.appendedAt().toString());
        node.put("kind", DecisionFormat.lower(record.kind()));
        node.put("type", record.type());
        node.put("version", record.version());
        node.put("segment", record.segment());
        node.put("offset", record.offset());
        node.put("bytes", record.bytes());
        node.put("chain", record.chain());
        node.put("description", record.description());
        record.event().ifPresent(event -> event(node.putObject("event"), event));
        return node;
    }

    private static void event(ObjectNode node, Event event) {
        if (event instanceof PolicyActivated e) {
            node.put("revision", e.revision());
            node.put("source", e.source());
        } else if (event instanceof CaCertificateLoaded e) {
            node.put("profile", e.profile());
            blob(node.putObject("certificate"), e.certificate());
        } else if (event instanceof CrlLoaded e) {
            blob(node.putObject("crl"), e.crl());
            node.put("source", e.source());
        } else if (event instanceof ValidationRequested e) {
            node.put("requestId", e.requestId());
            blob(node.putObject("peer"), e.peer());
            ArrayNode chain = node.putArray("chain");
            e.chain().forEach(certificate -> blob(chain.addObject(), certificate));
            e.identity().ifPresent(identity -> node.put("id", identity.toString()));
            node.put("at", e.at().toString());
            settings(node.putObject("settings"), e.settings());
            e.gateway().ifPresent(gateway -> node.put("gateway", gateway));
            e.policyRevision().ifPresent(revision -> node.put("policyRevision", revision));
        } else if (event instanceof ValidationDecided e) {
            node.put("requestId", e.requestId());
            node.put("verdict", DecisionFormat.lower(e.verdict()));
            node.put("reason", e.reason().name());
        }
    }

    private static void settings(ObjectNode node, ValidationSettings settings) {
        node.put("revocationCheck", DecisionFormat.lower(settings.revocationCheck()));
        node.put("onDownloadFailure", DecisionFormat.lower(settings.onDownloadFailure()));
        node.put("pathValidation", DecisionFormat.lower(settings.pathValidation()));
        node.put("maxCaLevels", settings.maxCaLevels());
        node.put("allowSha1", settings.allowSha1());
        node.put("clockSkew", settings.clockSkew().toString());
    }

    private static void blob(ObjectNode node, Blob blob) {
        node.put("sha256", blob.sha256Hex());
        node.put("bytes", blob.length());
    }
}
