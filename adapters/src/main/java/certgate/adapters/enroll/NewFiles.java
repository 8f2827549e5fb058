package certgate.adapters.enroll;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files the enrolment commands write: always new (never overwritten), a private key owner-only from creation. */
public final class NewFiles {
    private static final Set<StandardOpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private NewFiles() {
    }

    /** Creates {@code file} with {@code content}, readable as the umask allows (a certificate request). */
    public static void create(Path file, byte[] content) throws EnrollException {
        write(file, content, false);
    }

    /**
     * Creates {@code file} with mode 0600 given to the creating call itself: no other user can open it between
     * its creation and a later chmod, because there is none.
     */
    static void createOwnerOnly(Path file, byte[] content) throws EnrollException {
        write(file, content, true);
    }

    private static void write(Path file, byte[] content, boolean ownerOnly) throws EnrollException {
        try (SeekableByteChannel out = ownerOnly ? Files.newByteChannel(file, CREATE, OWNER_ONLY)
                : Files.newByteChannel(file, CREATE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (FileAlreadyExistsException e) {
            throw new EnrollException(file + ": already exists; certgate never overwrites a file (move it away or"
                    + " name another)");
        } catch (UnsupportedOperationException e) {
            throw new EnrollException(file + ": the file system cannot create an owner-only (0600) file, and a"
                    + " private key is written no other way", e);
        } catch (NoSuchFileException e) {
            throw new EnrollException(file + ": cannot write: no such directory", e);
        } catch (AccessDeniedException e) {
            throw new EnrollException(file + ": cannot write: permission denied", e);
        } catch (IOException e) {
            throw new EnrollException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
