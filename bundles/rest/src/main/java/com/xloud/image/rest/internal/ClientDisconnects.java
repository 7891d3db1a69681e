package com.xloud.image.rest.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client that goes away while its answer is written (a download cancelled, a load tool closing
 * its connections, an upload cut by a reset) makes Jersey log a SEVERE "An I/O error has occurred
 * while writing a response message entity" with a stack trace. That is no fault of the service:
 * this filter on Jersey's logger turns exactly those records into one INFO line without a trace,
 * and lets every other record through unchanged.
 */
final class ClientDisconnects implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientDisconnects.class);
    /** Where Jersey logs failed writes; held here so JUL keeps the filter (it holds loggers weakly). */
    private static final java.util.logging.Logger JERSEY =
            java.util.logging.Logger.getLogger("org.glassfish.jersey.server.ServerRuntime$Responder");

    static void install() {
        JERSEY.setFilter(new ClientDisconnects());
    }

    static void uninstall() {
        if (JERSEY.getFilter() instanceof ClientDisconnects) {
            JERSEY.setFilter(null);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable gone = clientGone(record.getThrown());
        if (gone == null) {
            return true;
        }
        LOG.info("the client went away before its answer was written ({}: {})", gone.getClass().getSimpleName(),
                gone.getMessage());
        return false;
    }

    /** The exception in {@code t}'s causes that says the peer closed or reset the connection, or null. */
    static Throwable clientGone(Throwable t) {
        for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof org.eclipse.jetty.io.EofException || t instanceof ClosedChannelException) {
                return t;
            }
            if (t instanceof IOException && t.getMessage() != null) {
                String m = t.getMessage();
                if (m.contains("Broken pipe") || m.contains("Connection reset") || m.contains("Connection closed")) {
                    return t;
                }
            }
        }
        return null;
    }
}
