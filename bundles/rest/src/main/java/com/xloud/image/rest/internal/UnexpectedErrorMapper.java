package com.xloud.image.rest.internal;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Anything not foreseen: logged with its stack trace here, never shown to the client. */
final class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        LOG.error("unexpected failure", e);
        return ErrorBody.of(500, "The server failed to complete the request; see the log for the request id.").build();
    }
}
