package com.xloud.image.api.store;

/** The store has no room left for the data. */
public class StoreFullException extends StoreException {
    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
