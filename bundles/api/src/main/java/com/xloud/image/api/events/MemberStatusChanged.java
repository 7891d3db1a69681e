package com.xloud.image.api.events;

/** A member accepted, rejected or reset (pending) the image shared with it. */
public record MemberStatusChanged(String imageId, Origin origin, String memberId, String status) implements ImageEvent {
}
