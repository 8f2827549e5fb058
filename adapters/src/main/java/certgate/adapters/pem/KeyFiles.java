package certgate.adapters.pem;

import certgate.adapters.pem.PkiFileException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Key files: one PEM block (RFC 7468: {@code PRIVATE KEY} for PKCS#8, {@code PUBLIC KEY} for a
 * SubjectPublicKeyInfo), read with the same strict {@link Pem} rules as certificates. What the key is, is for the
 * caller to check.
 */
public final class KeyFiles {
    /** Far more than any key file; a bigger file is something else. */
    private static final int MAX_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private KeyFiles() {
    }

    /** The one PEM block of a key file: its label and its DER. */
    public record PemObject(String label, byte[] der) {
    }

    /** Reads {@code file}, which must hold exactly one PEM block. */
    public static PemObject single(Path file) throws PkiFileException {
        String name = file.toString();
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new PkiFileException(name, Problem.UNREADABLE, "cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new PkiFileException(name, Problem.UNREADABLE, "cannot read: permission denied");
        } catch (IOException e) {
            String reason = Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage());
            throw new PkiFileException(name, Problem.UNREADABLE, "cannot read: " + reason);
        }
        if (content.length > MAX_BYTES) {
            throw new PkiFileException(name, Problem.TOO_BIG, "larger than the 64 KiB allowed for a key file");
        }
        if (!Pem.looksLikePem(content)) {
            throw new PkiFileException(name, Problem.NOT_PEM_OR_DER, "not a PEM key file (no -----BEGIN line)");
        }
        List<Pem.Block> blocks = Pem.decode(name, content);
        if (blocks.size() != 1) {
            throw new PkiFileException(name, Problem.BAD_PEM, "holds " + blocks.size()
                    + " PEM blocks; a key file holds one");
        }
        return new PemObject(blocks.get(0).label(), blocks.get(0).der());
    }

    /**
     * The permissions of the private key file {@code file} ({@code rw-r--r--}) when its group or others have any;
     * empty when only its owner does. Also empty where the file system has no POSIX permissions (its access control
     * is not ours to judge) or they cannot be read (reading the key reports what is wrong with the file).
     */
    public static Optional<String> openToOthers(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
        return OWNER_ONLY.containsAll(permissions) ? Optional.empty()
                : Optional.of(PosixFilePermissions.toString(permissions));
    }
}
