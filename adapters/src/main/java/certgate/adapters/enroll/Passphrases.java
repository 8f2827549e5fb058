package certgate.adapters.enroll;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * A private key's passphrase, never from the command line itself (where {@code ps} shows it to every user):
 * the first line of a file, as OpenSSL's {@code -passin file:F} reads it, or an environment variable.
 */
public final class Passphrases {
    private static final int MAX_FILE_BYTES = 4096;

    private Passphrases() {
    }

    /**
     * The passphrase {@code --passphrase-file} or {@code --passphrase-env} names, or none when neither is given.
     *
     * @param environment the process's environment (given, so that tests run in-process)
     */
    public static Optional<char[]> read(Optional<Path> file, Optional<String> variable,
            Function<String, String> environment) throws EnrollException {
        if (file.isPresent() && variable.isPresent()) {
            throw new EnrollException("--passphrase-file and --passphrase-env exclude each other");
        }
        if (file.isPresent()) {
            return Optional.of(fromFile(file.get()));
        }
        if (variable.isPresent()) {
            String value = environment.apply(variable.get());
            if (value == null || value.isEmpty()) {
                throw new EnrollException("--passphrase-env " + variable.get() + ": the environment variable is not"
                        + " set or empty");
            }
            return Optional.of(value.toCharArray());
        }
        return Optional.empty();
    }

    private static char[] fromFile(Path file) throws EnrollException {
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new EnrollException("--passphrase-file " + file + ": cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new EnrollException("--passphrase-file " + file + ": cannot read: permission denied");
        } catch (IOException e) {
            throw new EnrollException("--passphrase-file " + file + ": cannot read: " + e.getMessage());
        }
        if (content.length > MAX_FILE_BYTES) {
            throw new EnrollException("--passphrase-file " + file + ": larger than " + MAX_FILE_BYTES + " bytes;"
                    + " the passphrase is its first line");
        }
        String text = new String(content, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new EnrollException("--passphrase-file " + file + ": the first line (the passphrase) is empty");
        }
        return line.toCharArray();
    }
}
