package com.xloud.image.rest.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jersey reads the request URI as a {@link URI}, which is stricter than HTTP (a stray '%' or a
 * space in the query). Jersey's container then answers 400 but logs a WARN with a stack trace for
 * every such request: garbage any client can send. This check comes first and answers the same
 * 400, in Glance's error body, without the noise.
 */
final class UriCheck extends Handler.Wrapper {
    UriCheck(Handler api) {
        super(api);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpURI uri = request.getHttpURI();
        try {
            new URI("http://localhost" + uri.getPath() + (uri.getQuery() == null ? "" : "?" + uri.getQuery()));
        } catch (URISyntaxException e) {
            ErrorFormats.Rendered r = JsonErrorHandler.render(request, 400, "The request URI is malformed: "
                    + e.getReason() + " at character " + Math.max(0, e.getIndex() - "http://localhost".length()) + ".");
            response.setStatus(400);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, r.contentType());
            response.write(true, ByteBuffer.wrap(r.body()), callback);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
