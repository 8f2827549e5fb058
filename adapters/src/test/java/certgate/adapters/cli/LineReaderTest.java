package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static List<LineReader.Line> lines(InputStream in, int max) throws IOException {
        LineReader reader = new LineReader(in, max);
        List<LineReader.Line> lines = new ArrayList<>();
        for (Optional<LineReader.Line> line = reader.next(); line.isPresent(); line = reader.next()) {
            lines.add(line.get());
        }
        return lines;
    }

    private static List<LineReader.Line> lines(String text, int max) throws IOException {
        return lines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }

    private static String text(LineReader.Line line) {
        return new String(line.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void lines_are_numbered_from_one_and_lose_their_line_ends() throws Exception {
        List<LineReader.Line> lines = lines("a\r\nbb\n\nccc", 100);
        assertEquals(List.of("a", "bb", "", "ccc"), lines.stream().map(LineReaderTest::text).toList());
        assertEquals(List.of(1, 2, 3, 4), lines.stream().map(LineReader.Line::number).toList());
    }

    @Test
    void a_final_newline_does_not_make_an_empty_line() throws Exception {
        assertEquals(1, lines("a\n", 100).size());
        assertEquals(0, lines("", 100).size());
    }

    @Test
    void a_line_over_the_limit_is_reported_and_the_next_line_still_reads() throws Exception {
        List<LineReader.Line> lines = lines("x".repeat(50) + "\nok\n", 10);
        assertTrue(lines.get(0).tooLong());
        assertEquals(0, lines.get(0).bytes().length);
        assertFalse(lines.get(1).tooLong());
        assertEquals("ok", text(lines.get(1)));
    }

    @Test
    void lines_spanning_many_reads_come_back_whole() throws Exception {
        String big = "y".repeat(200_000);
        // a stream that hands out a few bytes at a time, as a pipe does
        InputStream trickle = new ByteArrayInputStream((big + "\n" + big).getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        List<LineReader.Line> lines = lines(trickle, 1 << 20);
        assertEquals(2, lines.size());
        assertArrayEquals(big.getBytes(StandardCharsets.UTF_8), lines.get(1).bytes());
    }
}
