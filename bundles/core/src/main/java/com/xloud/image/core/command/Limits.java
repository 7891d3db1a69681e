package com.xloud.image.core.command;

/** Glance's per-image quotas (image_property_quota, image_tag_quota, image_member_quota); beyond them 413. */
public record Limits(int properties, int tags, int members) {
    public static final Limits GLANCE_DEFAULTS = new Limits(128, 128, 128);
}
