package certgate.adapters.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot is forced in slices as it is written: every byte lands in order, a force follows each slice, and a
 * paced writer keeps to its rate.
 */
class ForcedInSlicesTest {
    @TempDir
    Path dir;

    @Test
    void writes_every_byte_in_order_and_forces_once_per_slice() throws IOException {
        byte[] content = new byte[10_000];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("snapshot");
        int forces;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            StoreSnapshots.ForcedInSlices out = new StoreSnapshots.ForcedInSlices(channel,
                    new StoreSnapshots.WritePace(1_000, Long.MAX_VALUE));
            Random chunks = new Random(11);
            int at = 0;
            while (at < content.length) {
                int length = Math.min(content.length - at, chunks.nextInt(700));
                if (length == 1) {
                    out.write(content[at]);
                } else {
                    out.write(content, at, length);
                }
                at += length;
            }
            forces = out.forces();
        }

        assertArrayEquals(content, Files.readAllBytes(file));
        // A force once at least 1,000 bytes are unforced: writes of up to 700 bytes overshoot a slice by less than
        // one write, so 10,000 bytes make between 10,000 / 1,699 and 10,000 / 1,000 slices.
        assertTrue(forces >= 10_000 / 1_699 && forces <= 10, "forces: " + forces);
    }

    @Test
    void a_paced_writer_takes_at_least_as_long_as_its_rate_allows() throws IOException {
        Path file = dir.resolve("snapshot");
        long started = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            StoreSnapshots.ForcedInSlices out = new StoreSnapshots.ForcedInSlices(channel,
                    new StoreSnapshots.WritePace(1_000, 20_000));
            for (int i = 0; i < 10; i++) {
                out.write(new byte[1_000], 0, 1_000);
            }
        }
        // 10,000 bytes at 20,000 a second: the last slice is not due before 0.5 s.
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMillis >= 490, "took " + elapsedMillis + " ms");
        assertEquals(10_000, Files.size(file));
    }
}
