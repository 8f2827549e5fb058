package certgate.adapters.pem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.ExamplePkiGenerator;
import certgate.adapters.pem.PkiFileException.Problem;
import certgate.adapters.pem.PkiFiles.Kind;
import certgate.eventstore.Blob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiFilesTest {
    static final byte[] ROOT_PEM = ExamplePkiGenerator.files().get("root-ca.pem");
    static final byte[] ISSUING_PEM = ExamplePkiGenerator.files().get("issuing-ca.pem");
    static final byte[] CRL_PEM = ExamplePkiGenerator.files().get("issuing-ca.crl");
    static final byte[] ROOT_DER = derOf(ROOT_PEM);
    static final byte[] CRL_DER = derOf(CRL_PEM);

    @TempDir
    Path dir;

    static byte[] derOf(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        String body = text.substring(text.indexOf('\n') + 1, text.indexOf("-----END"));
        return Base64.getMimeDecoder().decode(body);
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] part : parts) {
            int at = out.length;
            out = Arrays.copyOf(out, at + part.length);
            System.arraycopy(part, 0, out, at, part.length);
        }
        return out;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private PkiFileException certificateError(byte[] content) throws IOException {
        Path file = write("input.pem", content);
        return assertThrows(PkiFileException.class, () -> PkiFiles.certificates(file));
    }

    @Test
    void a_pem_certificate_reads_as_its_der_bytes() throws Exception {
        List<Blob> certificates = PkiFiles.certificates(write("root.pem", ROOT_PEM));
        assertEquals(1, certificates.size());
        assertArrayEquals(ROOT_DER, certificates.get(0).bytes());
    }

    @Test
    void a_der_certificate_reads_as_it_is() throws Exception {
        List<Blob> certificates = PkiFiles.certificates(write("root.der", ROOT_DER));
        assertEquals(List.of(Blob.of(ROOT_DER)), certificates);
    }

    @Test
    void a_pem_bundle_gives_every_certificate_in_order_and_ignores_text_between_blocks() throws Exception {
        byte[] bundle = concat(ascii("subject=CN = Example Root CA\n"), ROOT_PEM, ascii("\nsome text\n"),
                ISSUING_PEM);
        List<Blob> certificates = PkiFiles.certificates(write("bundle.pem", bundle));
        assertEquals(List.of(Blob.of(ROOT_DER), Blob.of(derOf(ISSUING_PEM))), certificates);
    }

    @Test
    void crlf_line_ends_and_trailing_spaces_are_accepted() throws Exception {
        byte[] windows = ascii(new String(ROOT_PEM, StandardCharsets.US_ASCII).replace("\n", "  \r\n"));
        assertEquals(List.of(Blob.of(ROOT_DER)), PkiFiles.certificates(write("crlf.pem", windows)));
    }

    @Test
    void crls_read_from_pem_and_der() throws Exception {
        assertEquals(List.of(Blob.of(CRL_DER)), PkiFiles.crls(write("ca.crl", CRL_PEM)));
        assertEquals(List.of(Blob.of(CRL_DER)), PkiFiles.crls(write("ca.der.crl", CRL_DER)));
    }

    @Test
    void a_missing_file_is_unreadable_and_named() {
        Path missing = dir.resolve("nope.pem");
        PkiFileException e = assertThrows(PkiFileException.class, () -> PkiFiles.certificates(missing));
        assertEquals(Problem.UNREADABLE, e.problem());
        assertEquals(missing + ": cannot read: no such file", e.getMessage());
    }

    @Test
    void a_directory_is_unreadable() {
        PkiFileException e = assertThrows(PkiFileException.class, () -> PkiFiles.certificates(dir));
        assertEquals(Problem.UNREADABLE, e.problem());
        assertTrue(e.getMessage().startsWith(dir + ": cannot read"), e.getMessage());
    }

    @Test
    void an_empty_or_blank_file_is_empty() throws Exception {
        assertEquals(Problem.EMPTY, certificateError(new byte[0]).problem());
        assertEquals(Problem.EMPTY, certificateError(ascii(" \n\t\r\n")).problem());
    }

    @Test
    void a_certificate_file_over_one_mebibyte_is_too_big() throws Exception {
        byte[] big = concat(ROOT_PEM, new byte[Kind.CERTIFICATE.maxFileBytes()]);
        PkiFileException e = certificateError(big);
        assertEquals(Problem.TOO_BIG, e.problem());
        assertTrue(e.getMessage().contains("1 MiB"), e.getMessage());
    }

    @Test
    void text_that_is_neither_pem_nor_der_says_so() throws Exception {
        PkiFileException e = certificateError(ascii("hello, world\n"));
        assertEquals(Problem.NOT_PEM_OR_DER, e.problem());
        assertTrue(e.getMessage().contains("first byte 0x68"), e.getMessage());
    }

    @Test
    void a_bad_base64_character_is_reported_with_its_line_and_column() throws Exception {
        String text = new String(ROOT_PEM, StandardCharsets.US_ASCII);
        int secondLine = text.indexOf('\n') + 1;
        String broken = text.substring(0, secondLine + 4) + "*" + text.substring(secondLine + 5);
        PkiFileException e = certificateError(ascii(broken));
        assertEquals(Problem.BAD_BASE64, e.problem());
        assertTrue(e.getMessage().endsWith("line 2, column 5: '*' is not a base64 character"), e.getMessage());
    }

    @Test
    void a_block_cut_short_is_bad_pem() throws Exception {
        String text = new String(ROOT_PEM, StandardCharsets.US_ASCII);
        PkiFileException e = certificateError(ascii(text.substring(0, text.indexOf("-----END"))));
        assertEquals(Problem.BAD_PEM, e.problem());
        assertTrue(e.getMessage().contains("begun on line 1 has no END line"), e.getMessage());
    }

    @Test
    void an_end_line_with_another_label_is_bad_pem() throws Exception {
        String text = new String(ROOT_PEM, StandardCharsets.US_ASCII).replace("END CERTIFICATE", "END X509 CRL");
        assertEquals(Problem.BAD_PEM, certificateError(ascii(text)).problem());
    }

    @Test
    void pem_headers_are_refused() throws Exception {
        String text = new String(ROOT_PEM, StandardCharsets.US_ASCII)
                .replace("-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n");
        PkiFileException e = certificateError(ascii(text));
        assertEquals(Problem.BAD_PEM, e.problem());
        assertTrue(e.getMessage().contains("headers"), e.getMessage());
    }

    @Test
    void a_private_key_where_a_certificate_belongs_is_the_wrong_label_and_its_content_is_not_echoed() throws Exception {
        byte[] key = ExamplePkiGenerator.pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});
        PkiFileException e = certificateError(concat(ROOT_PEM, key));
        assertEquals(Problem.WRONG_LABEL, e.problem());
        assertTrue(e.getMessage().contains("is 'PRIVATE KEY', expected 'CERTIFICATE' (a private key does not belong"),
                e.getMessage());
        assertFalse(e.getMessage().contains("MAMCAQA"), e.getMessage());
    }

    @Test
    void a_crl_given_as_a_certificate_is_the_wrong_label() throws Exception {
        PkiFileException e = certificateError(CRL_PEM);
        assertEquals(Problem.WRONG_LABEL, e.problem());
        assertTrue(e.getMessage().contains("is 'X509 CRL', expected 'CERTIFICATE'"), e.getMessage());
    }

    @Test
    void a_der_crl_given_as_a_certificate_is_not_a_certificate() throws Exception {
        PkiFileException e = certificateError(CRL_DER);
        assertEquals(Problem.NOT_A_CERTIFICATE, e.problem());
    }

    @Test
    void a_der_certificate_given_as_a_crl_is_not_a_crl() throws Exception {
        Path file = write("root.crl", ROOT_DER);
        PkiFileException e = assertThrows(PkiFileException.class, () -> PkiFiles.crls(file));
        assertEquals(Problem.NOT_A_CRL, e.problem());
    }

    @Test
    void trailing_bytes_after_der_are_refused() throws Exception {
        PkiFileException e = certificateError(concat(ROOT_DER, new byte[] {0}));
        assertEquals(Problem.NOT_A_CERTIFICATE, e.problem());
        assertTrue(e.getMessage().contains("1 bytes of trailing data"), e.getMessage());
    }

    @Test
    void two_concatenated_der_certificates_are_refused_rather_than_half_read() throws Exception {
        assertEquals(Problem.NOT_A_CERTIFICATE, certificateError(concat(ROOT_DER, ROOT_DER)).problem());
    }

    @Test
    void truncated_der_is_refused_with_an_offset() throws Exception {
        PkiFileException e = certificateError(Arrays.copyOf(ROOT_DER, ROOT_DER.length - 1));
        assertEquals(Problem.NOT_A_CERTIFICATE, e.problem());
        assertTrue(e.getMessage().contains("at byte offset"), e.getMessage());
    }

    @Test
    void indefinite_length_ber_is_refused() throws Exception {
        byte[] ber = {0x30, (byte) 0x80, 0x02, 0x01, 0x01, 0x00, 0x00};
        PkiFileException e = certificateError(ber);
        assertTrue(e.getMessage().contains("indefinite length"), e.getMessage());
    }

    @Test
    void a_non_minimal_length_is_refused() throws Exception {
        byte[] der = {0x30, (byte) 0x81, 0x03, 0x02, 0x01, 0x01};
        PkiFileException e = certificateError(der);
        assertTrue(e.getMessage().contains("not the shortest form"), e.getMessage());
    }

    @Test
    void deep_nesting_is_refused_without_overflowing_the_stack() throws Exception {
        byte[] der = {0x30, 0x00};
        for (int level = 0; level < 1_000; level++) {
            der = concat(new byte[] {0x30}, length(der.length), der);
        }
        PkiFileException e = certificateError(der);
        assertEquals(Problem.NOT_A_CERTIFICATE, e.problem());
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
    }

    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        return length < 0x100 ? new byte[] {(byte) 0x81, (byte) length}
                : new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }

    @Test
    void a_file_name_with_control_characters_gives_a_one_line_message() throws Exception {
        PkiFileException e = assertThrows(PkiFileException.class,
                () -> PkiFiles.parse("evil\nname\u001b[2J", new byte[0], Kind.CERTIFICATE));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
        assertEquals("evil\nname\u001b[2J", e.file());
    }

    @Test
    void decode_takes_the_armor_off_without_judging_the_content() throws Exception {
        byte[] notACertificate = ExamplePkiGenerator.pem("CERTIFICATE", new byte[] {1, 2, 3});
        assertEquals(List.of(Blob.of(new byte[] {1, 2, 3})),
                PkiFiles.decode("peer.pem", notACertificate, Kind.CERTIFICATE));
        PkiFileException e = assertThrows(PkiFileException.class,
                () -> PkiFiles.parse("peer.pem", notACertificate, Kind.CERTIFICATE));
        assertEquals(Problem.NOT_A_CERTIFICATE, e.problem());
    }
}
