package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageException;

/**
 * One service of a bundle that may come and go: the one in use, or, while there is none, a 503
 * that names the bundle.
 */
final class ServiceSlot<T> {
    private final String absent;
    private volatile T current;

    /** {@code absent}: the message of the 503 while no service is set. */
    ServiceSlot(String absent) {
        this.absent = absent;
    }

    void set(T service) {
        current = service;
    }

    /** Forgets {@code gone} if it is the one in use (a newer one may have been set already). */
    void unset(T gone) {
        if (current == gone) {
            current = null;
        }
    }

    /** The service in use, or null. */
    T current() {
        return current;
    }

    /** The service in use; 503 while there is none. */
    T require() {
        T s = current;
        if (s == null) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE, absent);
        }
        return s;
    }
}
