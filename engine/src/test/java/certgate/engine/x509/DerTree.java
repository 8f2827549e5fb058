package certgate.engine.x509;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A DER element as a tree, to build hand-made mutations of valid certificates in tests: navigate by child index,
 * replace an element, re-encode with lengths recomputed. Only single-byte tags; constructed when bit 6 is set.
 */
record DerTree(int tag, byte[] content, List<DerTree> children) {

    static DerTree parse(byte[] der) {
        int[] end = new int[1];
        DerTree tree = parse(der, 0, end);
        if (end[0] != der.length) {
            throw new IllegalArgumentException("trailing bytes after the element");
        }
        return tree;
    }

    private static DerTree parse(byte[] der, int at, int[] end) {
        int tag = der[at] & 0xff;
        int pos = at + 1;
        int first = der[pos++] & 0xff;
        int length = first;
        if (first >= 0x80) {
            length = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                length = (length << 8) | (der[pos++] & 0xff);
            }
        }
        int contentEnd = pos + length;
        end[0] = contentEnd;
        if ((tag & 0x20) == 0) {
            return primitive(tag, Arrays.copyOfRange(der, pos, contentEnd));
        }
        List<DerTree> children = new ArrayList<>();
        while (pos < contentEnd) {
            int[] childEnd = new int[1];
            children.add(parse(der, pos, childEnd));
            pos = childEnd[0];
        }
        return new DerTree(tag, null, List.copyOf(children));
    }

    static DerTree primitive(int tag, byte[] content) {
        return new DerTree(tag, content.clone(), List.of());
    }

    static DerTree primitive(int tag, String hex) {
        return primitive(tag, HexFormat.of().parseHex(hex));
    }

    static DerTree constructed(int tag, DerTree... children) {
        return new DerTree(tag, null, List.of(children));
    }

    /** An OCTET STRING holding the encoding of {@code inner} (an extension value). */
    static DerTree wrapping(DerTree inner) {
        return primitive(0x04, inner.encode());
    }

    boolean isConstructed() {
        return content == null;
    }

    DerTree at(int... path) {
        DerTree node = this;
        for (int index : path) {
            node = node.children.get(index);
        }
        return node;
    }

    /** A copy with the element at {@code path} replaced. */
    DerTree with(DerTree replacement, int... path) {
        if (path.length == 0) {
            return replacement;
        }
        List<DerTree> copy = new ArrayList<>(children);
        copy.set(path[0], children.get(path[0]).with(replacement, Arrays.copyOfRange(path, 1, path.length)));
        return new DerTree(tag, null, List.copyOf(copy));
    }

    /** A copy with {@code inserted} placed before child {@code index} of the element at {@code path}. */
    DerTree inserting(DerTree inserted, int index, int... path) {
        DerTree parent = at(path);
        List<DerTree> copy = new ArrayList<>(parent.children);
        copy.add(index, inserted);
        return with(new DerTree(parent.tag, null, List.copyOf(copy)), path);
    }

    /** A copy without child {@code index} of the element at {@code path}. */
    DerTree removing(int index, int... path) {
        DerTree parent = at(path);
        List<DerTree> copy = new ArrayList<>(parent.children);
        copy.remove(index);
        return with(new DerTree(parent.tag, null, List.copyOf(copy)), path);
    }

    /** The same children in another order (a SET's elements). */
    DerTree withChildren(List<DerTree> newChildren) {
        return new DerTree(tag, null, List.copyOf(newChildren));
    }

    DerTree withTag(int newTag) {
        return new DerTree(newTag, content, children);
    }

    byte[] encode() {
        byte[] body;
        if (isConstructed()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (DerTree child : children) {
                out.writeBytes(child.encode());
            }
            body = out.toByteArray();
        } else {
            body = content;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 6);
        out.write(tag);
        if (body.length < 0x80) {
            out.write(body.length);
        } else {
            int bytes = body.length < 0x100 ? 1 : body.length < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(body.length >>> (8 * i));
            }
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(encode());
    }
}
