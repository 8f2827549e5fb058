package certgate.adapters.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.regex.Matcher;

/** One method on one path pattern of the API; {@code path} holds the pattern's groups. */
interface Route {
    void handle(HttpExchange exchange, Matcher path) throws ApiError, IOException;
}
