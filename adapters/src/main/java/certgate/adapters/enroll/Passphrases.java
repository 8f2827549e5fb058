package certgate.adapters.enroll;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * A private key's passphrase, never from the command line itself (where {@code ps} shows it to every user):
 * the first line of a file, as OpenSSL's {@code -passin file:F} reads it, or an environment variable. Every
 * buffer that held the file's bytes or characters is overwritten once the passphrase is taken out of it (a
 * {@code String} could not be), and the {@link Passphrase} overwrites its own when closed.
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
    public static Passphrase read(Optional<Path> file, Optional<String> variable,
            Function<String, String> environment) throws EnrollException {
        if (file.isPresent() && variable.isPresent()) {
            throw new EnrollException("--passphrase-file and --passphrase-env exclude each other");
        }
        if (file.isPresent()) {
            return Passphrase.of(fromFile(file.get()));
        }
        if (variable.isPresent()) {
            String value = environment.apply(variable.get());
            if (value == null || value.isEmpty()) {
                throw new EnrollException("--passphrase-env " + variable.get() + ": the environment variable is not"
                        + " set or empty");
            }
            return Passphrase.of(value.toCharArray());
        }
        return Passphrase.none();
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
        CharBuffer text = null;
        try {
            if (content.length > MAX_FILE_BYTES) {
                throw new EnrollException("--passphrase-file " + file + ": larger than " + MAX_FILE_BYTES
                        + " bytes; the passphrase is its first line");
            }
            text = decode(file, content);
            int end = 0;
            while (end < text.limit() && text.get(end) != '\n') {
                end++;
            }
            if (end > 0 && text.get(end - 1) == '\r') {
                end--;
            }
            if (end == 0) {
                throw new EnrollException("--passphrase-file " + file + ": the first line (the passphrase) is"
                        + " empty");
            }
            char[] line = new char[end];
            text.get(0, line);
            return line;
        } finally {
            Arrays.fill(content, (byte) 0);
            if (text != null && text.hasArray()) {
                Arrays.fill(text.array(), '\0');
            }
        }
    }

    /** UTF-8, decoded into a buffer that the caller can overwrite (a String would keep a copy). */
    private static CharBuffer decode(Path file, byte[] content) throws EnrollException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            throw new EnrollException("--passphrase-file " + file + ": the passphrase is not UTF-8 text");
        }
    }
}
