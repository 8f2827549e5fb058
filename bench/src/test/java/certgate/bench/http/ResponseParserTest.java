package certgate.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
    private final ResponseParser parser = new ResponseParser();

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void a_response_arriving_a_byte_at_a_time_ends_exactly_at_its_content_length() throws Exception {
        String response = "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Other: y\r\n\r\nhello";
        parser.expectResponse(false);

        for (int i = 0; i < response.length() - 1; i++) {
            assertFalse(parser.feed(bytes(response.substring(i, i + 1))), "complete too early, at byte " + i);
        }
        assertTrue(parser.feed(bytes(response.substring(response.length() - 1))));
        assertEquals(201, parser.status());
        assertFalse(parser.closeAfter());
    }

    @Test
    void bytes_after_the_response_are_left_for_the_caller() throws Exception {
        parser.expectResponse(false);
        ByteBuffer in = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA");

        assertTrue(parser.feed(in));
        assertEquals(5, in.remaining());
    }

    @Test
    void connection_close_from_the_server_or_the_request_and_http_1_0_close_after_the_response() throws Exception {
        parser.expectResponse(false);
        parser.feed(bytes("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
        assertTrue(parser.closeAfter());

        parser.expectResponse(true);
        parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertTrue(parser.closeAfter());

        parser.expectResponse(false);
        parser.feed(bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertTrue(parser.closeAfter());

        parser.expectResponse(false);
        parser.feed(bytes("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"));
        assertFalse(parser.closeAfter());
    }

    @Test
    void a_no_content_answer_needs_no_length() throws Exception {
        parser.expectResponse(false);
        assertTrue(parser.feed(bytes("HTTP/1.1 204 No Content\r\n\r\n")));
    }

    @Test
    void a_body_to_the_end_of_the_connection_completes_only_at_that_end() throws Exception {
        parser.expectResponse(true);
        assertFalse(parser.feed(bytes("HTTP/1.1 200 OK\r\n\r\nsome body")));
        assertTrue(parser.endOfStream());
    }

    @Test
    void what_is_not_a_countable_response_is_refused() {
        for (String broken : new String[] {
            "HTTP/1.1 200 OK\r\n\r\nno length on a kept-alive connection",
            "HTTP/2 200\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            "220 smtp.example ESMTP\r\n",
        }) {
            parser.expectResponse(false);
            assertThrows(ResponseParser.MalformedResponseException.class, () -> parser.feed(bytes(broken)),
                    broken);
        }
    }

    @Test
    void an_end_before_the_response_is_whole_is_refused() throws Exception {
        parser.expectResponse(false);
        assertThrows(ResponseParser.MalformedResponseException.class, parser::endOfStream);
        assertFalse(parser.started());

        parser.expectResponse(false);
        parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
        assertTrue(parser.started());
        assertThrows(ResponseParser.MalformedResponseException.class, parser::endOfStream);
    }
}
