package com.xloud.image.api.events;

/** A project became a member of the image; status pending. */
public record MemberAdded(String imageId, Origin origin, String memberId) implements ImageEvent {
}
