package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.eventstore.log.FileEventLog;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening the store for writing: a busy store is status 4 and can be waited for; causes are named. */
class StoreOptionTest {
    @TempDir
    Path dir;
    StoreFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        Pki.create().writeTo(fixture);
    }

    private static Duration waitOf(String... argv) throws Exception {
        return StoreOption.waitOf(Args.parser().value(StoreOption.WAIT).parse(List.of(argv)));
    }

    @Test
    void wait_takes_a_number_with_a_unit_and_defaults_to_not_waiting() throws Exception {
        assertEquals(Duration.ZERO, waitOf());
        assertEquals(Duration.ZERO, waitOf("--wait", "0"));
        assertEquals(Duration.ofMillis(500), waitOf("--wait", "500ms"));
        assertEquals(Duration.ofSeconds(30), waitOf("--wait", "30s"));
        assertEquals(Duration.ofMinutes(2), waitOf("--wait", "2m"));
        assertEquals(Duration.ofHours(1), waitOf("--wait", "1h"));
        StoreOption.StoreUnavailable error = assertThrows(StoreOption.StoreUnavailable.class,
                () -> waitOf("--wait", "soon"));
        assertEquals(ExitStatus.USAGE, error.status());
        assertTrue(error.getMessage().contains("--wait 'soon' is not a duration"), error.getMessage());
    }

    @Test
    @SuppressWarnings("try") // the holder is there only to keep the writer lock taken
    void a_busy_store_is_its_own_exit_status_and_the_message_offers_to_wait() {
        fixture.loadAll();
        try (FileEventLog holder = FileEventLog.openForAppend(fixture.store(), fixture.clock)) {
            Result result = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");

            assertEquals(ExitStatus.STORE_BUSY, result.status(), result.toString());
            assertTrue(result.err().contains("--wait DURATION"), result.err());
        }
    }

    @Test
    @Timeout(60)
    void a_writer_given_wait_gets_the_store_once_the_holder_finishes() throws Exception {
        fixture.loadAll();
        FileEventLog holder = FileEventLog.openForAppend(fixture.store(), fixture.clock);
        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            holder.close();
        });

        Result result = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01", "--wait", "30s");

        release.get();
        assertTrue(result.status() == ExitStatus.OK || result.status() == ExitStatus.REJECTED, result.toString());
        assertTrue(result.out().contains("d-4"), result.out());
    }

    @Test
    void a_store_under_a_file_is_refused_naming_the_cause() throws Exception {
        Files.writeString(dir.resolve("plain-file"), "not a directory");

        Result result = fixture.run("load", "ca", "root.pem", "--store", "plain-file/store");

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.err().contains("not a directory"), result.err());
    }

    @Test
    void an_unwritable_store_says_permission_denied() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path store = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("r-xr-xr-x"));

        Result result = fixture.run("load", "ca", "root.pem", "--store", "read-only");

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.err().contains("permission denied"), result.err());
    }

    @Test
    void file_system_causes_are_named_in_words() {
        assertEquals("permission denied: /srv/store/LOCK",
                StoreOption.cause(new AccessDeniedException("/srv/store/LOCK")));
        assertEquals("no such directory: /srv/store",
                StoreOption.cause(new NoSuchFileException("/srv/store")));
    }
}
