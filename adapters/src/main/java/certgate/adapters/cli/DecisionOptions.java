package certgate.adapters.cli;

import certgate.adapters.text.Times;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.ValidationSettings.OnDownloadFailure;
import certgate.eventstore.ValidationSettings.PathValidation;
import certgate.eventstore.ValidationSettings.RevocationCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The options {@code verify} and {@code validate} share: identity, time, output format and the settings. */
public final class DecisionOptions {
    private DecisionOptions() {
    }

    /** {@code --format text|json}, {@code text} when absent. */
    public static boolean json(Args args) throws UsageException {
        return choice(args, "--format", Map.of("text", "text", "json", "json"), "text").equals("json");
    }

    static Optional<IkeIdentity> identity(Args args) throws UsageException {
        try {
            return args.value("--id").map(IkeIds::parse);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--id: " + e.getMessage());
        }
    }

    static Optional<Instant> time(Args args) throws UsageException {
        try {
            return args.value("--at").map(Times::parse);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--at: " + e.getMessage());
        }
    }

    /** The validation settings from their options; the Junos defaults for those not given. */
    static ValidationSettings settings(Args args) throws UsageException {
        return new ValidationSettings(
                choice(args, "--revocation-check",
                        Map.of("crl", RevocationCheck.CRL, "disable", RevocationCheck.DISABLE),
                        RevocationCheck.CRL),
                choice(args, "--on-download-failure",
                        Map.of("reject", OnDownloadFailure.REJECT, "accept", OnDownloadFailure.ACCEPT),
                        OnDownloadFailure.REJECT),
                choice(args, "--path-validation",
                        Map.of("partial", PathValidation.PARTIAL, "full", PathValidation.FULL),
                        PathValidation.PARTIAL),
                caLevels(args),
                args.flag("--allow-sha1"),
                Duration.ZERO);
    }

    static <T> T choice(Args args, String option, Map<String, T> allowed, T fallback) throws UsageException {
        Optional<String> given = args.value(option);
        if (given.isEmpty()) {
            return fallback;
        }
        T value = allowed.get(given.get().toLowerCase(Locale.ROOT));
        if (value == null) {
            throw new UsageException(option + " '" + given.get() + "' is not one of "
                    + String.join(", ", allowed.keySet().stream().sorted().toList()));
        }
        return value;
    }

    private static int caLevels(Args args) throws UsageException {
        return args.intValue("--max-ca-levels", 1, 16, ValidationSettings.DEFAULTS.maxCaLevels());
    }
}
