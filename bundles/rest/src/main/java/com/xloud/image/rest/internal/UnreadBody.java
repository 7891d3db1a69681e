package com.xloud.image.rest.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A request answered before its body was read (a caller refused by its headers, an upload to an
 * image that cannot take one): the server cannot read the next request on that connection until the
 * rest of this body is gone. Jetty drops what has already arrived and closes the connection when more
 * is to come, after an answer that did not say so: a client that sends its next request on it in
 * that moment gets no answer at all. So, just before the answer is committed, what has arrived of a
 * small body is dropped here, without waiting; when that is not the whole body the answer says
 * {@code Connection: close}, which every client honours.
 */
final class UnreadBody extends Handler.Wrapper {
    /** The most of a body still unread that is dropped to keep the connection. */
    static final long DROPPED = 64 * 1024;

    UnreadBody(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() == 0 || request.getLength() < 0
                && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return super.handle(request, response, callback);
        }
        Response checked = new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback written) {
                beforeCommit(request, this);
                super.write(last, content, written);
            }
        };
        Callback completed = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                beforeCommit(request, checked);
                super.succeeded();
            }
        };
        return super.handle(request, checked, completed);
    }

    private static void beforeCommit(Request request, Response response) {
        if (!response.isCommitted() && !restArrived(request)) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    /** Drops what has arrived of the body without waiting; true when that was its end. */
    private static boolean restArrived(Request request) {
        long dropped = 0;
        while (dropped <= DROPPED) {
            Content.Chunk chunk = request.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) {
                return false;
            }
            dropped += chunk.remaining();
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                return true;
            }
        }
        return false;
    }
}
