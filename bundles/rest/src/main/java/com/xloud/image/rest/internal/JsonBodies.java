package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.TextLimits;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads small JSON request bodies with Glance's size limit and messages: every route that takes a
 * JSON body reads it here, so a body that is too large, cut short or malformed is the same 4xx
 * everywhere.
 */
final class JsonBodies {
    private final ObjectMapper json;

    JsonBodies(ObjectMapper json) {
        this.json = json;
    }

    JsonNode read(InputStream body) throws IOException {
        byte[] buf;
        try {
            buf = body.readNBytes(ImagesResource.MAX_BODY + 1);
        } catch (IOException e) {
            // the client's body ended before its Content-Length, or its chunked framing was
            // broken: the request is incomplete, not the server faulty
            throw ImageException.badRequest("The request body ended early or its framing is broken (" + reason(e) + ").");
        }
        if (buf.length > ImagesResource.MAX_BODY) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Request body is larger than "
                    + ImagesResource.MAX_BODY + " bytes");
        }
        if (buf.length == 0) {
            throw ImageException.badRequest("Body expected in request.");
        }
        JsonNode tree;
        try {
            tree = json.readTree(buf);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ImageException.badRequest("Malformed JSON in request body: " + e.getOriginalMessage());
        }
        if (!wellFormed(tree)) {
            // JSON may escape half of a surrogate pair ("\ud83d"); no text column can hold it
            throw ImageException.badRequest("Malformed JSON in request body: a string holds an unpaired surrogate.");
        }
        return tree;
    }

    private static boolean wellFormed(JsonNode node) {
        if (node.isTextual()) {
            return TextLimits.wellFormed(node.textValue());
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!TextLimits.wellFormed(field.getKey()) || !wellFormed(field.getValue())) {
                return false;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (!wellFormed(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String reason(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? "the connection ended before the body did" : m;
    }

    /** The string member {@code key} of a JSON object body. */
    String string(InputStream body, String key) throws IOException {
        JsonNode node = read(body);
        if (!node.isObject() || !node.has(key)) {
            throw ImageException.badRequest("Request body must be a JSON object with '" + key + "'.");
        }
        if (!node.get(key).isTextual()) {
            throw ImageException.badRequest("'" + key + "' must be a string.");
        }
        return node.get(key).asText();
    }
}
