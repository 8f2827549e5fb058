package certgate.adapters.cli;

import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.GatewayKey;
import certgate.adapters.enroll.KeyPairs;
import certgate.adapters.enroll.KeySpec;
import certgate.adapters.enroll.Passphrase;
import certgate.eventstore.Blob;
import certgate.eventstore.KeyPairGenerated;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code certgate keygen}: the gateway's own key pair, the first step of its certificate (Junos: generate a key
 * pair, then a certificate request for it). The private key goes to a new owner-only PKCS#8 file; the log records
 * only the public key ({@link KeyPairGenerated}).
 */
public final class KeygenCommand implements Command {
    private final Clock clock;
    private final StoreOption store;

    public KeygenCommand(Clock clock) {
        this(clock, StoreOption.ofProcess());
    }

    KeygenCommand(Clock clock, StoreOption store) {
        this.clock = clock;
        this.store = store;
    }

    @Override
    public String name() {
        return "keygen";
    }

    @Override
    public String summary() {
        return "make the gateway's key pair: a private key file, the public key recorded in the store";
    }

    @Override
    public String help() {
        return """
                Usage: certgate keygen --type rsa|ec|ed25519 [--size 2048|3072|4096] [--curve p256|p384]
                                       --out KEY.pem [--passphrase-file FILE | --passphrase-env VAR]
                                       [--store DIR]

                Makes a key pair for the gateway's own certificate. The private key is written to KEY.pem as
                PKCS#8 PEM ('PRIVATE KEY'; 'ENCRYPTED PRIVATE KEY' with a passphrase: PBES2, PBKDF2 with
                HMAC-SHA256 and AES-256-CBC), in a new file that is owner-only (mode 0600) from its creation;
                an existing file is never overwritten. The store records KeyPairGenerated: the public key, its
                SHA-256 fingerprint, the key type and the file name; never the private key.

                Options:
                  --type rsa|ec|ed25519  the key's algorithm (required)
                  --size BITS            RSA: 2048, 3072 or 4096 (below 2048 is refused). Default: 2048
                  --curve p256|p384      EC: the curve. Default: p256
                  --out KEY.pem          the private key file to create (required)
                """ + EnrollOptions.PASSPHRASE_HELP + StoreOption.HELP + StoreOption.WAIT_HELP + """

                Exit status:
                  0  the key was written and recorded
                  2  usage error; KEY.pem exists or cannot be written (nothing appended)
                  4  the store is busy: another command is writing to it (see --wait)
                  5  the store is damaged: see 'certgate log repair'
                """;
    }

    @Override
    public int run(List<String> argv, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Args args;
        KeySpec spec;
        Path out;
        Passphrase passphrase;
        try {
            args = EnrollOptions.passphrase(Args.parser().value("--type").value("--size").value("--curve")
                    .value("--out").value(StoreOption.OPTION).value(StoreOption.WAIT)).parse(argv);
            if (args.helpRequested()) {
                stdout.print(help());
                return ExitStatus.OK;
            }
            String type = args.value("--type").orElseThrow(() -> new UsageException(
                    "missing --type rsa|ec|ed25519"));
            spec = KeySpec.of(type, args.value("--size"), args.value("--curve"));
            out = EnrollOptions.newOutput(args, "--out", store);
            passphrase = EnrollOptions.passphrase(args, store);
        } catch (UsageException e) {
            return Main.usageError(name(), e, stderr);
        } catch (EnrollException e) {
            return Main.usageError(name(), new UsageException(e.getMessage()), stderr);
        }
        String file = args.value("--out").orElseThrow();
        try (passphrase) {
            return StoreWrite.appending(store, args, clock, name(), stderr, opened -> {
                GatewayKey key = KeyPairs.generate(spec);
                KeyPairs.write(out, key, passphrase.chars());
                List<Long> sequences = opened.append(List.of(new KeyPairGenerated(
                        Blob.of(key.subjectPublicKeyInfo()), spec.name(), file)));
                stdout.println(Terminal.safe(file) + ": " + spec.name() + " private key written (PKCS#8"
                        + (passphrase.isPresent() ? ", encrypted" : ", not encrypted") + ", mode 0600)");
                stdout.println("public key sha256 " + key.fingerprint());
                stdout.println("KeyPairGenerated appended at sequence " + sequences.get(0) + " to "
                        + opened.directory() + "; head " + opened.head());
                return ExitStatus.OK;
            });
        }
    }
}
