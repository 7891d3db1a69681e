package com.xloud.image.api.store;

/** A store's own view of whether it can serve, with a human-readable reason. */
public record StoreHealth(boolean available, String detail, long freeBytes) {
    public static StoreHealth ok(String detail, long freeBytes) {
        return new StoreHealth(true, detail, freeBytes);
    }

    public static StoreHealth down(String detail) {
        return new StoreHealth(false, detail, -1);
    }
}
