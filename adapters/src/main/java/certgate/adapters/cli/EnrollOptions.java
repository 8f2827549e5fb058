package certgate.adapters.cli;

import certgate.adapters.enroll.EnrollException;
import certgate.adapters.enroll.Passphrase;
import certgate.adapters.enroll.Passphrases;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options the commands of the gateway's own key and certificate share: passphrase, output file. */
final class EnrollOptions {
    static final String PASSPHRASE_FILE = "--passphrase-file";
    static final String PASSPHRASE_ENV = "--passphrase-env";

    /** The help text's paragraph on the passphrase options. */
    static final String PASSPHRASE_HELP = """
              --passphrase-file FILE the private key's passphrase: the first line of FILE (as OpenSSL's
                                     -passin file:FILE reads it)
              --passphrase-env VAR   the private key's passphrase: environment variable VAR. Never on the
                                     command line itself, where other users see it.
            """;

    private EnrollOptions() {
    }

    /** Declares the passphrase options. */
    static Args.Parser passphrase(Args.Parser parser) {
        return parser.value(PASSPHRASE_FILE).value(PASSPHRASE_ENV);
    }

    /** The passphrase the options name, if any; the caller closes it, which wipes it. */
    static Passphrase passphrase(Args args, StoreOption store) throws EnrollException {
        return Passphrases.read(args.value(PASSPHRASE_FILE).map(store.workingDirectory()::resolve),
                args.value(PASSPHRASE_ENV), store.environment());
    }

    /** The output file {@code option} names, which must not exist: certgate never overwrites one. */
    static Path newOutput(Args args, String option, StoreOption store) throws UsageException {
        String name = args.value(option).orElseThrow(() -> new UsageException("missing " + option + " FILE"));
        Path path = store.workingDirectory().resolve(name);
        if (Files.exists(path)) {
            throw new UsageException(option + " " + name + ": already exists; certgate never overwrites a file"
                    + " (move it away or name another)");
        }
        return path;
    }
}
