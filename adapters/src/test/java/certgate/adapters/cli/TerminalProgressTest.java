package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.adapters.store.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Progress lines on standard error: on a terminal, only after the first second and once a second; never on a pipe. */
class TerminalProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long now;

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void on_a_terminal_the_line_comes_after_the_first_second_at_most_once_a_second_then_ends() {
        Terminal.Stream terminal = new Terminal.Stream(bytes, () -> now);
        Progress progress = Terminal.progress(terminal, count -> "replay: " + count + " events read");

        now = SECOND / 2;
        progress.tick(10);
        assertEquals("", printed(), "work under a second prints nothing");
        now = SECOND + 1;
        progress.tick(20);
        assertEquals("\rreplay: 20 events read   ", printed());
        now = SECOND + SECOND / 2;
        progress.tick(30);
        assertEquals("\rreplay: 20 events read   ", printed(), "at most once a second");
        now = 2 * SECOND + 2;
        progress.tick(40);
        progress.done();
        assertEquals("\rreplay: 20 events read   \rreplay: 40 events read   " + System.lineSeparator(), printed());
    }

    @Test
    void on_a_pipe_or_a_file_nothing_is_printed_however_long_the_work() {
        PrintStream pipe = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress progress = Terminal.progress(pipe, count -> "audit: " + count + " events read");

        for (int i = 1; i <= 10; i++) {
            now = i * SECOND;
            progress.tick(i);
        }
        progress.done();

        assertEquals("", printed());
    }

    @Test
    void a_short_run_on_a_terminal_ends_without_an_empty_line() {
        Terminal.Stream terminal = new Terminal.Stream(bytes, () -> now);
        Progress progress = Terminal.progress(terminal, count -> "load: checking");

        progress.tick(0);
        progress.done();

        assertEquals("", printed());
    }
}
