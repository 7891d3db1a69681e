package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ext.ContextResolver;

/** The one ObjectMapper of the API, for Jersey's Jackson provider too: answers are written the way resources read. */
final class ObjectMappers implements ContextResolver<ObjectMapper> {
    private final ObjectMapper json;

    ObjectMappers(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return json;
    }
}
