package certgate.dsl;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Jackson's YAML parser reports anchors only on mappings and lists and turns an alias into a string holding the
 * anchor's name. To expand aliases exactly (and refuse what it cannot), the reader needs the anchor, tag and
 * style of every node: this factory makes parsers that expose the last YAML event they read.
 */
final class AnchoredYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    @Override
    protected YAMLParser _createParser(Reader reader, IOContext context) throws IOException {
        return new Parser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
    }

    static final class Parser extends YAMLParser {
        Parser(IOContext context, int features, int yamlFeatures, LoaderOptions options, ObjectCodec codec,
               Reader reader) {
            super(context, features, yamlFeatures, options, codec, reader);
        }

        /** The anchor defined on the node just read. */
        Optional<String> anchor() {
            return _lastEvent instanceof NodeEvent node && !(node instanceof AliasEvent)
                    ? Optional.ofNullable(node.getAnchor())
                    : Optional.empty();
        }

        /** The anchor an alias just read refers to. */
        Optional<String> alias() {
            return _lastEvent instanceof AliasEvent alias ? Optional.ofNullable(alias.getAnchor()) : Optional.empty();
        }

        /** An explicit tag on the node just read ("!!str", "!custom"). */
        Optional<String> explicitTag() {
            Event event = _lastEvent;
            if (event instanceof ScalarEvent scalar) {
                boolean implicit = scalar.getImplicit().canOmitTagInPlainScalar()
                        || scalar.getImplicit().canOmitTagInNonPlainScalar();
                return implicit ? Optional.empty() : Optional.ofNullable(scalar.getTag());
            }
            if (event instanceof CollectionStartEvent collection) {
                return collection.getImplicit() ? Optional.empty() : Optional.ofNullable(collection.getTag());
            }
            return Optional.empty();
        }

        /** Whether the scalar just read was in quotes. */
        boolean quoted() {
            return style() == '\'' || style() == '"';
        }

        /** Whether the scalar just read was a literal (|) or folded (>) block. */
        boolean blockScalar() {
            return style() == '|' || style() == '>';
        }

        private char style() {
            if (_lastEvent instanceof ScalarEvent scalar && scalar.getScalarStyle().getChar() != null) {
                return scalar.getScalarStyle().getChar();
            }
            return 0;
        }
    }
}
