package com.xloud.image.rest.internal;

import com.fasterxml.jackson.core.JacksonException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Malformed JSON in a request body. */
final class JsonErrorMapper implements ExceptionMapper<JacksonException> {
    @Override
    public Response toResponse(JacksonException e) {
        return ErrorBody.of(400, "Malformed JSON in request body: " + e.getOriginalMessage()).build();
    }
}
