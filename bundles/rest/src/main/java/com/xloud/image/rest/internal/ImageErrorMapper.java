package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Domain refusals: their kind says the status, their message is for the client. */
final class ImageErrorMapper implements ExceptionMapper<ImageException> {
    @Override
    public Response toResponse(ImageException e) {
        return ErrorBody.of(e.kind().status(), e.getMessage()).build();
    }
}
