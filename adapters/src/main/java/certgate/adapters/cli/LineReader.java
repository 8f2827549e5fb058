package certgate.adapters.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads lines of bytes with a bound: a line longer than {@code maxBytes} is skipped to its end and reported as
 * too long, without holding it in memory. Lines end at '\n'; a '\r' before it is dropped.
 */
final class LineReader {
    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private int lineNumber;
    private boolean ended;

    /** One line: its number (from 1) and its bytes, or no bytes and {@code tooLong}. */
    record Line(int number, byte[] bytes, boolean tooLong) {
    }

    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or empty at the end of the input. */
    Optional<Line> next() throws IOException {
        if (ended) {
            return Optional.empty();
        }
        byte[] line = new byte[256];
        int length = 0;
        boolean tooLong = false;
        boolean sawAny = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    ended = true;
                    if (!sawAny) {
                        return Optional.empty();
                    }
                    break;
                }
            }
            sawAny = true;
            int newline = -1;
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int stop = newline < 0 ? limit : newline;
            int chunk = stop - position;
            if (!tooLong) {
                if (length + chunk > maxBytes) {
                    tooLong = true;
                    line = new byte[0];
                    length = 0;
                } else {
                    if (length + chunk > line.length) {
                        line = Arrays.copyOf(line, Math.max(line.length * 2, length + chunk));
                    }
                    System.arraycopy(buffer, position, line, length, chunk);
                    length += chunk;
                }
            }
            position = stop;
            if (newline >= 0) {
                position++;
                break;
            }
        }
        lineNumber++;
        if (!tooLong && length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return Optional.of(new Line(lineNumber, tooLong ? new byte[0] : Arrays.copyOf(line, length), tooLong));
    }
}
