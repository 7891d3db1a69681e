package com.xloud.image.api.store;

/** A store could not do what was asked; partial data it wrote is already gone. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
