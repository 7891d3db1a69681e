package com.xloud.image.api.events;

/**
 * An upload filter ({@code filter}: its name, such as {@code inspection}) refused the uploaded
 * data: it was removed and the image is queued again. Earlier histories name signature refusals
 * {@link SignatureRejected}.
 */
public record UploadRefused(String imageId, Origin origin, String filter, String reason) implements ImageEvent {
}
