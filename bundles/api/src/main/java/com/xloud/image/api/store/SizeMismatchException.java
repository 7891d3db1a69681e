package com.xloud.image.api.store;

/** The data ended with another byte count than the caller announced. */
public class SizeMismatchException extends StoreException {
    private final long expected;
    private final long actual;

    public SizeMismatchException(long expected, long actual) {
        super("Image size mismatch: expected " + expected + " bytes, received " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
