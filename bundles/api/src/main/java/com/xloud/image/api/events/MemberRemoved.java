package com.xloud.image.api.events;

/** The membership of a project ended. */
public record MemberRemoved(String imageId, Origin origin, String memberId) implements ImageEvent {
}
