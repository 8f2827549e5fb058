package certgate.eventstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class BlobTest {
    private static final byte[] CONTENT = {0x30, 0x03, 0x02, 0x01, 0x07};

    @Test
    void of_copies_so_later_changes_to_the_array_do_not_reach_the_blob() {
        byte[] array = CONTENT.clone();
        Blob blob = Blob.of(array);
        array[4] = 0x08;
        assertArrayEquals(CONTENT, blob.bytes());
    }

    @Test
    void bytes_is_a_copy_that_the_caller_may_change_without_reaching_the_blob() {
        Blob blob = Blob.of(CONTENT);
        blob.bytes()[4] = 0x08;
        assertArrayEquals(CONTENT, blob.bytes());
    }

    @Test
    void the_view_cannot_write_nor_give_out_the_array() {
        Blob blob = Blob.of(CONTENT);
        ByteBuffer view = blob.view();
        assertTrue(view.isReadOnly());
        assertFalse(view.hasArray(), "a read-only heap buffer hides its array");
        assertThrows(ReadOnlyBufferException.class, () -> view.put(4, (byte) 0x08));
        assertThrows(ReadOnlyBufferException.class, view::array);
        assertThrows(ReadOnlyBufferException.class, () -> view.duplicate().put((byte) 0));
        assertArrayEquals(CONTENT, blob.bytes());
    }

    @Test
    void the_view_spans_the_contents_and_each_call_has_its_own_position() {
        Blob blob = Blob.of(CONTENT);
        ByteBuffer first = blob.view();
        first.get();
        first.get();
        ByteBuffer second = blob.view();
        assertEquals(0, second.position());
        assertEquals(CONTENT.length, second.limit());
        byte[] read = new byte[CONTENT.length];
        second.get(read);
        assertArrayEquals(CONTENT, read);
    }

    @Test
    void a_blob_taking_ownership_is_equal_to_a_copying_one_with_the_same_digest() {
        Blob owned = Blob.takingOwnershipOf(CONTENT.clone());
        Blob copied = Blob.of(CONTENT);
        assertEquals(copied, owned);
        assertEquals(copied.hashCode(), owned.hashCode());
        assertEquals(copied.sha256Hex(), owned.sha256Hex());
        assertEquals(CONTENT.length, owned.length());
    }
}
