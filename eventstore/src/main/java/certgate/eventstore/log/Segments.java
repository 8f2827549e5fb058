package certgate.eventstore.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Segment files: their names, their 52-byte header, listing and creating them.
 *
 * <pre>
 * offset  size  field
 *  0      6     magic "CGLOG\0"
 *  6      2     format version (1)
 *  8      8     base sequence: the sequence of the first event the segment holds (also its file name)
 * 16     32     the chain value of the last record of the previous segment (32 zero bytes for the first)
 * 48      4     CRC-32C of bytes [0, 48)
 * </pre>
 */
final class Segments {
    static final int HEADER_BYTES = 52;
    static final int FORMAT_VERSION = 1;
    static final String SUFFIX = ".log";
    static final String TEMP_SUFFIX = ".log.tmp";
    static final byte[] GENESIS = new byte[Frame.CHAIN_BYTES];
    private static final byte[] MAGIC = {'C', 'G', 'L', 'O', 'G', 0};

    private Segments() {
    }

    /** A segment file of a store: its base sequence and path. */
    record SegmentFile(long base, Path path) {
        String name() {
            return path.getFileName().toString();
        }
    }

    /** A parsed segment header. */
    record Header(long base, byte[] previousChain) {
    }

    static String name(long base) {
        return String.format("%020d", base) + SUFFIX;
    }

    static Path path(Path dir, long base) {
        return dir.resolve(name(base));
    }

    /** The segment files of {@code dir} in order of their base sequence; names that are not 20 digits are ignored. */
    static List<SegmentFile> list(Path dir) {
        List<SegmentFile> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String digits = name.substring(0, name.length() - SUFFIX.length());
                if (digits.length() == 20 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    segments.add(new SegmentFile(Long.parseLong(digits), file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the segments of store " + dir + ": " + e.getMessage(), e);
        }
        segments.sort((a, b) -> Long.compare(a.base(), b.base()));
        return List.copyOf(segments);
    }

    static byte[] header(long base, byte[] previousChain) {
        byte[] header = new byte[HEADER_BYTES];
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
        Frame.putShort(header, 6, FORMAT_VERSION);
        Frame.putLong(header, 8, base);
        System.arraycopy(previousChain, 0, header, 16, Frame.CHAIN_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 48);
        Frame.putInt(header, 48, (int) crc.getValue());
        return header;
    }

    /**
     * Reads and checks the header of {@code segment}; an empty result names what is wrong. A segment is created
     * whole under a temporary name and renamed, so a short header is damage, never a crash.
     */
    static HeaderResult readHeader(FileChannel channel, SegmentFile segment) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                return HeaderResult.bad("the header is cut short: " + buffer.position() + " of " + HEADER_BYTES
                        + " bytes");
            }
        }
        byte[] h = buffer.array();
        if (!Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return HeaderResult.bad("not a certgate log segment (bad magic bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(h, 0, 48);
        if ((int) crc.getValue() != Frame.getInt(h, 48)) {
            return HeaderResult.bad("header checksum mismatch");
        }
        int version = Frame.getShort(h, 6);
        if (version != FORMAT_VERSION) {
            return HeaderResult.bad("segment format version " + version + " is unknown to this release (it reads "
                    + FORMAT_VERSION + ")");
        }
        long base = Frame.getLong(h, 8);
        if (base != segment.base()) {
            return HeaderResult.bad("header says base sequence " + base + " but the file name says "
                    + segment.base());
        }
        return new HeaderResult(new Header(base, Arrays.copyOfRange(h, 16, 48)), "");
    }

    record HeaderResult(Header header, String problem) {
        static HeaderResult bad(String problem) {
            return new HeaderResult(null, problem);
        }

        boolean ok() {
            return header != null;
        }
    }

    /**
     * Creates segment {@code base} whole: written and forced under a temporary name, renamed, and the directory
     * forced, so after a crash a segment either exists with its full header or not at all.
     */
    static FileChannel create(Path dir, long base, byte[] previousChain) throws IOException {
        Path target = path(dir, base);
        Path temp = dir.resolve(String.format("%020d", base) + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.wrap(header(base, previousChain));
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target);
        }
        forceDirectory(dir);
        return FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Makes a rename or a new file in {@code dir} durable; a no-op where directories cannot be opened. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw e;
            }
        }
    }

    /** Removes the leftovers of a segment creation that a crash interrupted before the rename. */
    static void deleteTemporaries(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}
