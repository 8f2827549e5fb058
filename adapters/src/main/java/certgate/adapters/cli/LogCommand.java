package certgate.adapters.cli;

import certgate.adapters.checkpoint.CheckpointCheck;
import certgate.adapters.checkpoint.CheckpointFormatException;
import certgate.adapters.checkpoint.CheckpointKeys;
import certgate.adapters.checkpoint.Checkpoints;
import certgate.adapters.checkpoint.KeyFileException;
import certgate.adapters.text.Suggest;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.CertificateRequestGenerated;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
import certgate.eventstore.Event;
import certgate.eventstore.KeyPairGenerated;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.LogRepaired;
import certgate.eventstore.OcspAnswered;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.DumpedRecord;
import certgate.eventstore.log.LogDump;
import certgate.eventstore.log.LogRepair;
import certgate.eventstore.log.LogVerifier;
import certgate.eventstore.log.StoreLockedException;
import certgate.eventstore.log.VerifyReport;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate log verify|dump|repair}: the integrity check of the store ({@link LogVerifier}), its records as
 * text or JSON lines ({@link LogDump}), and the one way past damage to acknowledged records ({@link LogRepair}).
 * Verify and dump take no lock; repair is a writer.
 */
public final class LogCommand implements Command {
    private final Clock clock;
    private final StoreOption store;

    public LogCommand() {
        this(Clock.systemUTC());
    }

    /** {@code clock} names the directory repair moves damage into and dates its LogRepaired record. */
    public LogCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    LogCommand(StoreOption store) {
        this(Clock.systemUTC(), store);
    }

    LogCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String summary() {
        return "verify the event log's checksums and hash chain, dump its records, or repair damage";
    }

    @Override
    public String help() {
        return """
                Usage: certgate log verify [--head HASH] [--format text|json] [--store DIR]
                       certgate log verify --checkpoint LINE --pubkey KEY.pub [--format text|json] [--store DIR]
                       certgate log dump [--from-seq N] [--format text|json] [--store DIR]
                       certgate log repair [--dry-run] [--store DIR]

                verify: checks every segment header, every record's checksum (CRC-32C), sequence number and
                hash chain value (SHA-256 over the record and the chain value before it), decodes every
                payload, and prints the counts and the head: the chain value of the last record. Keep the
                head; '--head HASH' later proves that the log still holds, unaltered, everything up to it
                (records dropped from the end, or any earlier byte changed, and no record has that value).
                A torn final record, the trace of a crash, is reported and passes; the next writer truncates
                it. A damaged or missing record that the writer had acknowledged (the store's CHECKPOINT says
                how far) is no torn tail: verify fails naming the first lost sequence. The head of an empty
                log (64 zeroes) proves nothing: verify says so in a warning.

                verify --checkpoint: LINE is a checkpoint 'certgate checkpoint' printed (the line, or its JSON
                object), KEY.pub the signer's Ed25519 public key (PEM SubjectPublicKeyInfo, 'openssl pkey -in KEY
                -pubout'). Checks that the checkpoint names that key and that its signature is valid, then that
                the log still holds, unaltered, every record before the checkpoint's sequence: the chain value
                there must be the checkpoint's head. Each failure has its own message and exit status (below).

                repair: when verify fails, moves the damaged part of the log (from the first bad record to the
                end) aside into damaged-<time>/ in the store, never deleting it, and appends a LogRepaired
                event naming what was moved, the sequences lost and why. Sequence numbers are never reused:
                the log resumes after the highest sequence ever acknowledged, leaving a gap. No command
                appends to a damaged store until it is repaired. '--dry-run' says what repair would do.
                Refuses a store that verifies.

                dump: prints every record from sequence N on (default 0), blobs (certificates and CRLs, stored
                once per segment) included. text: one line per record (sequence, append time, kind, type,
                version, summary). json: one object per line with the record's position, chain value and,
                for events, their fields (blobs by SHA-256 and size).

                Options:
                  --head HASH            (verify) a head printed by an earlier verify: 64 hex digits
                  --checkpoint LINE      (verify) a signed checkpoint, as 'certgate checkpoint' printed it
                  --pubkey KEY.pub       (verify --checkpoint) the public key the checkpoint must be signed by
                  --from-seq N           (dump) the first sequence number to print
                  --format text|json     (verify, dump) default text; verify's json is one object: passed,
                                         records, events, blobs, head, and earlierHead, warning, tornTail
                                         or problem (kind, segment, offset, sequence, detail) when present;
                                         with --checkpoint also checkpoint (sequence, head,
                                         keyFingerprint, verified, outcome, detail)
                  --dry-run              (repair) print what would be moved aside; change nothing
                """ + StoreOption.HELP + """

                Exit status:
                  0  verified (with --head of an empty log: verified, with the warning); dump complete;
                     repaired, or the dry run printed
                  1  the log is damaged or altered: the message names the first bad record (segment file,
                     offset, sequence); for dump, the records before it are printed
                     (with --checkpoint: a record before the checkpoint's sequence was altered, or
                     the checkpoint holds but a record after it is damaged)
                  2  usage error (a malformed checkpoint line, an unusable key); no store there; repair of
                     a store that verifies
                  4  (repair) the store is busy: another command is writing to it
                  6  (--checkpoint) the signature is not valid for the key: forged or damaged
                  7  (--checkpoint) the checkpoint was signed by another key than KEY.pub
                  8  (--checkpoint) the log's chain value at the checkpoint's sequence is not its head:
                     a checkpoint of another store, or the log was rewritten with its chain recomputed
                  9  (--checkpoint) the log was truncated before the checkpoint's sequence
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        try {
            args = Args.parser().value("--head").value("--from-seq").value("--format").flag("--dry-run")
                    .value("--checkpoint").value("--pubkey").value(StoreOption.OPTION)
                    .positionals("verify|dump|repair", 0, 1).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            if (args.positionals().isEmpty()) {
                throw new UsageException("say what to do: 'log verify', 'log dump' or 'log repair'");
            }
            String action = args.positionals().get(0);
            if (action.equals("verify")) {
                refuse(args, "--from-seq", "verify");
                refuseFlag(args, "--dry-run", "verify");
                if (args.value("--checkpoint").isPresent()) {
                    refuse(args, "--head", "verify --checkpoint");
                    return verifyCheckpoint(args, stdout, stderr);
                }
                if (args.value("--pubkey").isPresent()) {
                    throw new UsageException("--pubkey goes with --checkpoint LINE: the key a checkpoint is"
                            + " verified with");
                }
                return verify(args, stdout, stderr);
            }
            if (action.equals("dump") || action.equals("repair")) {
                refuse(args, "--checkpoint", action);
                refuse(args, "--pubkey", action);
            }
            if (action.equals("dump")) {
                refuse(args, "--head", "dump");
                refuseFlag(args, "--dry-run", "dump");
                return dump(args, stdout, stderr);
            }
            if (action.equals("repair")) {
                refuse(args, "--head", "repair");
                refuse(args, "--from-seq", "repair");
                refuse(args, "--format", "repair");
                return repair(args, stdout, stderr);
            }
            throw new UsageException("'" + action + "' is not what log does: 'verify', 'dump' or 'repair'"
                    + Suggest.hint(action, List.of("verify", "dump", "repair")));
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        }
    }

    private static void refuse(Args args, String option, String action) throws UsageException {
        if (args.value(option).isPresent()) {
            throw new UsageException(option + " does not go with 'log " + action + "'");
        }
    }

    private static void refuseFlag(Args args, String flag, String action) throws UsageException {
        if (args.flag(flag)) {
            throw new UsageException(flag + " does not go with 'log " + action + "'");
        }
    }

    private int verify(Args args, PrintStream stdout, PrintStream stderr) throws UsageException {
        Optional<String> head = args.value("--head");
        if (head.isPresent() && !head.get().trim().matches("[0-9a-fA-F]{64}")) {
            throw new UsageException("--head '" + head.get() + "' is not a head: 64 hex digits, as 'log verify'"
                    + " prints it");
        }
        boolean json = json(args);
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
        // Every log starts at the empty log's head, so finding it proves nothing: verify without it, and say so.
        boolean emptyHead = head.isPresent() && head.get().trim().equals(EMPTY_LOG_HEAD);
        VerifyReport report;
        try {
            report = LogVerifier.verify(dir, emptyHead ? Optional.empty() : head);
        } catch (UncheckedIOException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(String.valueOf(e.getMessage())));
            return ExitStatus.USAGE;
        }
        if (json) {
            stdout.println(DecisionFormat.oneLine(json(dir, report, emptyHead)));
        } else {
            stdout.println("store " + dir);
            for (String line : report.describe().split("\n")) {
                stdout.println(Terminal.safe(line));
            }
        }
        if (!report.passed()) {
            stderr.println(Main.PROGRAM + " " + name() + ": verification failed: first bad record: "
                    + Terminal.safe(report.problem().orElseThrow().describe()));
            return ExitStatus.REJECTED;
        }
        if (emptyHead) {
            stderr.println(Main.PROGRAM + " " + name() + ": warning: --head " + EMPTY_LOG_HEAD + " is the head of"
                    + " an empty log: every log starts there, so it proves nothing about the records");
        }
        return ExitStatus.OK;
    }

    private int verifyCheckpoint(Args args, PrintStream stdout, PrintStream stderr) throws UsageException {
        CheckpointSigned checkpoint;
        try {
            checkpoint = Checkpoints.parse(args.value("--checkpoint").orElseThrow());
        } catch (CheckpointFormatException e) {
            throw new UsageException("--checkpoint: " + e.getMessage());
        }
        String pubkey = args.value("--pubkey").orElseThrow(() -> new UsageException("--checkpoint needs --pubkey"
                + " KEY.pub: the public key the checkpoint must be signed by"));
        boolean json = json(args);
        CheckpointKeys.VerifyingKey key;
        try {
            key = CheckpointKeys.verifying(store.workingDirectory().resolve(pubkey));
        } catch (KeyFileException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": --pubkey: " + Terminal.safe(e.getMessage()));
            return ExitStatus.USAGE;
        }
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
        // The key's half first: a checkpoint that is not the key's proves nothing about the log.
        Optional<CheckpointCheck> signature = CheckpointCheck.signature(checkpoint, key);
        Optional<VerifyReport> report;
        try {
            report = signature.isPresent() ? Optional.empty()
                    : Optional.of(LogVerifier.verify(dir, Optional.of(checkpoint.head())));
        } catch (UncheckedIOException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(String.valueOf(e.getMessage())));
            return ExitStatus.USAGE;
        }
        CheckpointCheck check = signature.isPresent() ? signature.get()
                : CheckpointCheck.log(checkpoint, report.orElseThrow());
        if (json) {
            ObjectNode node = report.map(r -> json(dir, r, false)).orElseGet(() -> {
                ObjectNode bare = DecisionFormat.JSON.createObjectNode();
                bare.put("store", dir.toString());
                return bare;
            });
            ObjectNode result = node.putObject("checkpoint");
            result.put("sequence", checkpoint.sequence());
            result.put("head", checkpoint.head());
            result.put("keyFingerprint", checkpoint.keyFingerprint());
            result.put("verified", check.outcome() == CheckpointCheck.Outcome.VERIFIED);
            result.put("outcome", DecisionFormat.lower(check.outcome()).replace('_', '-'));
            result.put("detail", check.message());
            stdout.println(DecisionFormat.oneLine(node));
        } else {
            stdout.println("store " + dir);
            report.ifPresent(r -> printLines(r.describe(), stdout));
            if (check.outcome() == CheckpointCheck.Outcome.VERIFIED) {
                stdout.println(Terminal.safe(check.message()));
            }
        }
        if (check.outcome() != CheckpointCheck.Outcome.VERIFIED) {
            stderr.println(Main.PROGRAM + " " + name() + ": checkpoint at sequence " + checkpoint.sequence()
                    + " FAILED: " + Terminal.safe(check.message()));
        }
        return switch (check.outcome()) {
            case VERIFIED -> ExitStatus.OK;
            case ALTERED, DAMAGED_AFTER -> ExitStatus.REJECTED;
            case BAD_SIGNATURE -> ExitStatus.CHECKPOINT_BAD_SIGNATURE;
            case OTHER_KEY -> ExitStatus.CHECKPOINT_OTHER_KEY;
            case OTHER_LOG -> ExitStatus.CHECKPOINT_OTHER_LOG;
            case TRUNCATED -> ExitStatus.CHECKPOINT_TRUNCATED;
        };
    }

    /** The chain value before the first record: what verify prints for an empty log. */
    static final String EMPTY_LOG_HEAD = "0".repeat(64);

    private int repair(Args args, PrintStream stdout, PrintStream stderr) {
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
        try {
            if (args.flag("--dry-run")) {
                Optional<LogRepair.Plan> plan = LogRepair.plan(dir);
                if (plan.isEmpty()) {
                    return clean(dir, stderr);
                }
                stdout.println("store " + dir + ": a repair would do this (dry run, nothing changed):");
                printLines(plan.get().describe(), stdout);
                return ExitStatus.OK;
            }
            LogRepair.Repaired repaired = LogRepair.repair(dir, clock);
            stdout.println("store " + dir + ": repaired");
            printLines(repaired.plan().describe(), stdout);
            stdout.println("moved aside into " + repaired.movedTo() + "; LogRepaired recorded at sequence "
                    + repaired.sequence());
            return ExitStatus.OK;
        } catch (IllegalStateException e) {
            return clean(dir, stderr);
        } catch (StoreLockedException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage())
                    + "; repair once it has finished");
            return ExitStatus.STORE_BUSY;
        } catch (UncheckedIOException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(String.valueOf(e.getMessage())));
            return ExitStatus.USAGE;
        }
    }

    private int clean(Path dir, PrintStream stderr) {
        stderr.println(Main.PROGRAM + " " + name() + ": store " + dir + " verifies: nothing to repair ('certgate"
                + " log verify' shows it)");
        return ExitStatus.USAGE;
    }

    private static void printLines(String text, PrintStream out) {
        for (String line : text.split("\n")) {
            out.println(Terminal.safe(line));
        }
    }

    private int dump(Args args, PrintStream stdout, PrintStream stderr) throws UsageException {
        long from = ReplayCommand.sequence(args, "--from-seq").orElse(0L);
        boolean json = json(args);
        Optional<Path> existing = store.existingOrSay(args, name(), stderr);
        if (existing.isEmpty()) {
            return ExitStatus.USAGE;
        }
        Path dir = existing.get();
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

    private static boolean json(Args args) throws UsageException {
        String format = args.value("--format").orElse("text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format '" + format + "' is not one of json, text");
        }
        return format.equals("json");
    }

    /** What verify found, as one JSON object: the verdict, the counts, the head, the torn tail or the problem. */
    static ObjectNode json(Path dir, VerifyReport report, boolean emptyHead) {
        ObjectNode node = DecisionFormat.JSON.createObjectNode();
        node.put("store", dir.toString());
        node.put("passed", report.passed());
        node.put("records", report.records());
        node.put("events", report.events());
        node.put("blobs", report.blobs());
        node.put("head", report.head());
        report.earlierHead().ifPresent(match -> {
            ObjectNode earlier = node.putObject("earlierHead");
            earlier.put("head", match.head());
            earlier.put("records", match.records());
            earlier.put("events", match.events());
        });
        if (emptyHead) {
            node.put("warning", "the given head is the empty log's: it proves nothing about the records");
        }
        report.tornTail().ifPresent(torn -> node.put("tornTail", torn.describe()));
        report.problem().ifPresent(problem -> {
            ObjectNode bad = node.putObject("problem");
            bad.put("kind", problem.kind().name());
            bad.put("segment", problem.segment());
            bad.put("offset", problem.offset());
            bad.put("sequence", problem.sequence());
            bad.put("detail", problem.detail());
        });
        return node;
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
        } else if (event instanceof PolicyRecorded e) {
            node.put("revision", e.revision());
            node.put("source", e.source());
        } else if (event instanceof CaCertificateLoaded e) {
            node.put("profile", e.profile());
            blob(node.putObject("certificate"), e.certificate());
        } else if (event instanceof CrlLoaded e) {
            blob(node.putObject("crl"), e.crl());
            node.put("source", e.source());
            e.fetch().ifPresent(fetch -> {
                ObjectNode how = node.putObject("fetch").put("at", fetch.at().toString()).put("status", fetch.status());
                fetch.etag().ifPresent(etag -> how.put("etag", etag));
                fetch.lastModified().ifPresent(lastModified -> how.put("lastModified", lastModified));
            });
        } else if (event instanceof CrlFetchFailed e) {
            node.put("url", e.url()).put("issuer", e.issuer()).put("reason", e.reason().name())
                    .put("at", e.at().toString()).put("status", e.status()).put("detail", e.detail());
        } else if (event instanceof CrlUnchanged e) {
            node.put("url", e.url()).put("issuer", e.issuer()).put("crlSha256", e.crlSha256())
                    .put("at", e.at().toString()).put("status", e.status());
            e.etag().ifPresent(etag -> node.put("etag", etag));
            e.lastModified().ifPresent(lastModified -> node.put("lastModified", lastModified));
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
        } else if (event instanceof LogRepaired e) {
            node.put("movedTo", e.movedTo());
            ArrayNode files = node.putArray("files");
            e.files().forEach(files::add);
            node.put("firstLost", e.firstLost());
            node.put("resumedAt", e.resumedAt());
            node.put("reason", e.reason());
        } else if (event instanceof CheckpointSigned e) {
            node.put("sequence", e.sequence());
            node.put("head", e.head());
            node.put("keyFingerprint", e.keyFingerprint());
            node.put("signature", e.signature());
        } else if (event instanceof KeyPairGenerated e) {
            blob(node.putObject("publicKey"), e.publicKey());
            node.put("fingerprint", e.fingerprint());
            node.put("keyType", e.keyType());
            node.put("file", e.file());
        } else if (event instanceof CertificateRequestGenerated e) {
            node.put("subject", e.subject());
            ArrayNode names = node.putArray("subjectAltNames");
            e.subjectAltNames().forEach(name -> names.add(name.toString()));
            node.put("publicKeySha256", e.publicKeySha256());
            node.put("requestSha256", e.requestSha256());
            node.put("file", e.file());
        } else if (event instanceof LocalCertificateLoaded e) {
            blob(node.putObject("certificate"), e.certificate());
            e.gateway().ifPresent(gateway -> node.put("gateway", gateway));
        } else if (event instanceof OcspAnswered e) {
            node.put("hashAlgorithm", e.hashAlgorithm());
            node.put("issuerNameHash", e.issuerNameHash());
            node.put("issuerKeyHash", e.issuerKeyHash());
            node.put("serial", e.serial().toString(16));
            node.put("status", DecisionFormat.lower(e.status()));
            e.crlSha256().ifPresent(crl -> node.put("crlSha256", crl));
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
