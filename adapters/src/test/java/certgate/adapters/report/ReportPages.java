package certgate.adapters.report;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What the tests check of a report page, independently of the code that writes it: the JDK's XML parser reads it
 * (strictly: no DTD, no external entity, every error fatal), and nothing in it refers outside the page.
 */
public final class ReportPages {
    /** Elements that load or run something. */
    private static final List<String> LOADING = List.of("script", "link", "img", "iframe", "object", "embed",
            "image", "use", "audio", "video", "source", "base", "form", "foreignObject");
    /** An attribute value that reaches outside the page: a scheme, or a network path. */
    private static final Pattern OUTSIDE = Pattern.compile("(?i)^\\s*([a-z][a-z0-9+.-]*:|//|\\\\\\\\)");

    private ReportPages() {
    }

    /** The page parsed as XML; any well-formedness error fails with the parser's line and column. */
    public static Document parse(String page) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setValidating(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void warning(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder.parse(new InputSource(new StringReader(page)));
        } catch (SAXParseException e) {
            throw new AssertionError("the report is not well-formed at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage() + "\n" + excerpt(page, e.getLineNumber()), e);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new AssertionError("the report cannot be parsed: " + e, e);
        }
    }

    /** Every reference out of the page: loading elements, outside attribute values, CSS that fetches. */
    public static List<String> externalReferences(Document page) {
        List<String> found = new ArrayList<>();
        visit(page.getDocumentElement(), found);
        return found;
    }

    private static void visit(Element element, List<String> found) {
        String name = element.getTagName();
        if (LOADING.contains(name)) {
            found.add("<" + name + "> element");
        }
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node attribute = attributes.item(i);
            String attributeName = attribute.getNodeName().toLowerCase(Locale.ROOT);
            String value = attribute.getNodeValue();
            if (attributeName.equals("src") || attributeName.endsWith("href") || attributeName.equals("action")
                    || attributeName.equals("srcset") || attributeName.startsWith("on")) {
                found.add(name + " has " + attributeName + "=\"" + value + "\"");
            }
            if (OUTSIDE.matcher(value).find()) {
                found.add(name + " " + attributeName + "=\"" + value + "\" points outside");
            }
            if (attributeName.equals("style")) {
                css(value, name + " style", found);
            }
        }
        if (name.equals("style")) {
            css(element.getTextContent(), "<style>", found);
        }
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                visit(child, found);
            }
        }
    }

    private static void css(String css, String where, List<String> found) {
        String lower = css.toLowerCase(Locale.ROOT);
        for (String fetching : List.of("url(", "@import", "image-set(", "//")) {
            if (lower.contains(fetching)) {
                found.add(where + " holds '" + fetching + "'");
            }
        }
    }

    /** Elements whose class attribute holds {@code cssClass} as one of its words. */
    public static int count(Document page, String element, String cssClass) {
        return count(page.getDocumentElement(), element, cssClass);
    }

    /** {@link #count} within the elements {@code container} (an element name and a class, "svg.crl-chart"). */
    public static int countWithin(Document page, String container, String element, String cssClass) {
        String[] parts = container.split("\\.", 2);
        NodeList all = page.getElementsByTagName(parts[0]);
        int count = 0;
        for (int i = 0; i < all.getLength(); i++) {
            if (hasClass((Element) all.item(i), parts[1])) {
                count += count((Element) all.item(i), element, cssClass);
            }
        }
        return count;
    }

    private static int count(Element root, String element, String cssClass) {
        NodeList all = root.getElementsByTagName(element);
        int count = 0;
        for (int i = 0; i < all.getLength(); i++) {
            if (hasClass((Element) all.item(i), cssClass)) {
                count++;
            }
        }
        return count;
    }

    private static boolean hasClass(Element element, String cssClass) {
        return List.of(element.getAttribute("class").split("\\s+")).contains(cssClass);
    }

    private static String excerpt(String page, int line) {
        String[] lines = page.split("\n", -1);
        return line >= 1 && line <= lines.length ? lines[line - 1] : "";
    }
}
