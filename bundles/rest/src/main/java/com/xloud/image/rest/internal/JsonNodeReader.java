package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads a {@link JsonNode} entity (whatever its declared media type, as Glance reads bodies) with
 * {@link JsonBodies}: the routes other bundles contribute get the Image API's limits and messages.
 */
final class JsonNodeReader implements MessageBodyReader<JsonNode> {
    private final JsonBodies bodies;

    JsonNodeReader(ObjectMapper json) {
        this.bodies = new JsonBodies(json);
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonNode.class;
    }

    @Override
    public JsonNode readFrom(Class<JsonNode> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                             MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        return bodies.read(entityStream);
    }
}
