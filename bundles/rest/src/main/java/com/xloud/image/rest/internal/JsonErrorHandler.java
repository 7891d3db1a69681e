package com.xloud.image.rest.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty refuses before Jersey sees the request (a path with an encoded NUL or backslash,
 * invalid UTF-8 in the URI, a malformed request line, headers too large) answers in Glance's
 * error body too (in the representation the request accepts), rather than an empty body or
 * Jetty's own page.
 */
final class JsonErrorHandler extends ErrorHandler {
    /** Every method gets the body (Jetty's own handler writes one for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code, String message,
                                                 Throwable cause) throws IOException {
        ErrorFormats.Rendered r = render(request, code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, r.contentType());
        response.write(true, ByteBuffer.wrap(r.body()), callback);
        return true;
    }

    /** A request Jetty could not parse: its headers are not known, so the body is plain text. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        ErrorFormats.Rendered r = ErrorFormats.render(null, status, HttpStatus.getMessage(status), reason);
        fields.put(HttpHeader.CONTENT_TYPE, r.contentType());
        return ByteBuffer.wrap(r.body());
    }

    static ErrorFormats.Rendered render(Request request, int status, String message) {
        return ErrorFormats.render(request.getHeaders().get(HttpHeader.ACCEPT), status, HttpStatus.getMessage(status),
                message);
    }
}
