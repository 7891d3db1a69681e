package com.xloud.image.api.store;

/** The data cannot be deleted because something else (a clone) still uses it. */
public class ImageDataInUseException extends StoreException {
    public ImageDataInUseException(String message) {
        super(message);
    }
}
