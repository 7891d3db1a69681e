package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import java.io.IOException;
import java.io.InputStream;

/** Reads small JSON request bodies with Glance's size limit and messages. */
final class JsonBodies {
    private final ObjectMapper json;

    JsonBodies(ObjectMapper json) {
        this.json = json;
    }

    JsonNode read(InputStream body) throws IOException {
        byte[] buf = body.readNBytes(ImagesResource.MAX_BODY + 1);
        if (buf.length > ImagesResource.MAX_BODY) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Request body is larger than "
                    + ImagesResource.MAX_BODY + " bytes");
        }
        if (buf.length == 0) {
            throw ImageException.badRequest("Body expected in request.");
        }
        try {
            return json.readTree(buf);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ImageException.badRequest("Malformed JSON in request body: " + e.getOriginalMessage());
        }
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
