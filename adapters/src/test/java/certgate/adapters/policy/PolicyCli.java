package certgate.adapters.policy;

import certgate.adapters.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Runs certgate in-process with a fixed clock and captured streams, in a directory of files the test writes. */
final class PolicyCli {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    /** The repository's policies/ directory (tests run in adapters/). */
    static final Path POLICIES = Path.of("..", "policies").toAbsolutePath().normalize();

    final Path dir;

    PolicyCli(Path dir) {
        this.dir = dir;
    }

    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Writes {@code text} to {@code name} in the directory; returns its absolute path as a string. */
    String write(String name, String text) {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    String write(String name, byte[] bytes) {
        try {
            Path path = dir.resolve(name);
            Files.createDirectories(path.getParent());
            Files.write(path, bytes);
            return path.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    static Run run(String... args) {
        return runAt(NOW, args);
    }

    /** {@link #run} with the clock at {@code now}: the append time of what the command records. */
    static Run runAt(Instant now, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int status = Main.standard(Clock.fixed(now, ZoneOffset.UTC))
                    .run(List.of(args), new ByteArrayInputStream(new byte[0]), outStream, errStream);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
