package com.xloud.image.rest.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
 * JSON error body too, rather than an empty body or an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Every method gets the body (Jetty's own handler writes one for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code, String message,
                                                 Throwable cause) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String message) {
        String title = HttpStatus.getMessage(status);
        String text = message == null || message.isBlank() ? title : message;
        try {
            return JSON.writeValueAsBytes(Map.of("message", ErrorBody.wellFormed(text), "code", status + " " + title,
                    "title", title));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return ("{\"message\": \"" + title + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
