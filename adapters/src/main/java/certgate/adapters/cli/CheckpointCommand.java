package certgate.adapters.cli;

import certgate.adapters.checkpoint.CheckpointKeys;
import certgate.adapters.checkpoint.Checkpoints;
import certgate.adapters.checkpoint.KeyFileException;
import certgate.adapters.cli.StoreOption.StoreUnavailable;
import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.log.CorruptLogException;
import certgate.eventstore.log.FileEventLog;
import certgate.eventstore.log.LogVerifier;
import certgate.eventstore.log.VerifyReport;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code certgate checkpoint --key KEY}: signs the log's current head with an Ed25519 key, records the signed
 * checkpoint in the log ({@code CheckpointSigned}) and prints it as one line to be kept elsewhere; {@code certgate
 * log verify --checkpoint LINE --pubkey KEY.pub} later proves the log was not rewritten up to it, as a signed tree
 * head does for a Certificate Transparency log (RFC 9162 section 4.10).
 */
public final class CheckpointCommand implements Command {
    private final Clock clock;
    private final StoreOption store;

    public CheckpointCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    CheckpointCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public String summary() {
        return "sign the event log's head with an Ed25519 key and print the checkpoint to keep elsewhere";
    }

    @Override
    public String help() {
        return """
                Usage: certgate checkpoint --key KEY [--format text|json] [--store DIR] [--wait DURATION]

                Verifies the whole log (as 'certgate log verify'), signs its head with the Ed25519 private key
                KEY, appends the signed checkpoint to the log as a CheckpointSigned event, and prints it as one
                line:

                  certgate-checkpoint v1 SEQUENCE HEAD FINGERPRINT SIGNATURE

                SEQUENCE is the checkpoint event's own sequence: the checkpoint covers every record before it.
                HEAD is the chain value of the last record before it (64 zeroes for an empty log), FINGERPRINT
                the SHA-256 of the signer's public key (DER SubjectPublicKeyInfo), SIGNATURE the Ed25519
                signature (base64) over "certgate checkpoint v1", a zero byte, SEQUENCE (8 bytes, big-endian)
                and HEAD (32 bytes). Keep the line outside the store (another machine, a witness, a ticket):
                'certgate log verify --checkpoint LINE --pubkey KEY.pub' then proves that the log still holds,
                unaltered, every record before SEQUENCE. The private key never enters the log.

                KEY is a PKCS#8 PEM Ed25519 private key ('openssl genpkey -algorithm ed25519 -out KEY'); its
                public key for verifying: 'openssl pkey -in KEY -pubout -out KEY.pub'. Like ssh, a key file
                that group or others may access (chmod 600 it) is refused.

                Options:
                  --key KEY              the Ed25519 private key (PKCS#8 PEM, owner-only permissions)
                  --format text|json     default text; json prints one object: checkpoint, version,
                                         sequence, head, keyFingerprint, signature
                """ + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Exit status:
                  0  the checkpoint was appended and printed
                  1  the log does not verify: nothing is signed (the message names the first bad record)
                  2  usage error; no store there; the key cannot be used (not Ed25519, unreadable, or
                     readable by group or others)
                  4  the store is busy: another command is writing to it
                  5  the store is damaged (see 'certgate log repair')
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        boolean json;
        CheckpointKeys.SigningKey key;
        try {
            args = Args.parser().value("--key").value("--format").value(StoreOption.OPTION)
                    .value(StoreOption.WAIT).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            String format = args.value("--format").orElse("text");
            if (!format.equals("text") && !format.equals("json")) {
                throw new UsageException("--format '" + format + "' is not one of json, text");
            }
            json = format.equals("json");
            String keyFile = args.value("--key").orElseThrow(() -> new UsageException("--key KEY is required: the"
                    + " Ed25519 private key that signs the checkpoint"));
            key = CheckpointKeys.signing(store.workingDirectory().resolve(keyFile));
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        } catch (KeyFileException e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return ExitStatus.USAGE;
        }
        try {
            store.existing(args);
        } catch (StoreUnavailable e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return e.status();
        }
        try (FileEventLog log = store.openForAppend(args, clock)) {
            StoreWrite.noteRecovery(log, name(), stderr);
            Path dir = log.directory();
            // The writer lock is held: nothing is appended while the log is verified, so its head is signed.
            VerifyReport report = LogVerifier.verify(dir);
            if (!report.passed()) {
                stderr.println(Main.PROGRAM + " " + name() + ": the log does not verify, nothing signed: first bad"
                        + " record: " + Terminal.safe(report.problem().orElseThrow().describe()));
                return ExitStatus.REJECTED;
            }
            if (!report.head().equals(log.head()) || report.nextSequence() != log.nextSequence()) {
                stderr.println(Main.PROGRAM + " " + name() + ": the log's recomputed head " + report.head()
                        + " (before sequence " + report.nextSequence() + ") is not the writer's " + log.head()
                        + " (before sequence " + log.nextSequence() + "): nothing signed; 'certgate log verify'"
                        + " checks the store");
                return ExitStatus.REJECTED;
            }
            CheckpointSigned checkpoint = Checkpoints.sign(key, log.nextSequence(), log.head());
            long at = log.append(checkpoint);
            if (at != checkpoint.sequence()) {
                throw new IllegalStateException("checkpoint for sequence " + checkpoint.sequence()
                        + " was appended at " + at + " under the writer lock");
            }
            stdout.println(json ? Checkpoints.json(checkpoint) : Checkpoints.line(checkpoint));
            return ExitStatus.OK;
        } catch (StoreUnavailable e) {
            stderr.println(Main.PROGRAM + " " + name() + ": " + Terminal.safe(e.getMessage()));
            return e.status();
        } catch (CorruptLogException | UncheckedIOException e) {
            return StoreOption.readFailed(name(), e, stderr);
        }
    }
}
