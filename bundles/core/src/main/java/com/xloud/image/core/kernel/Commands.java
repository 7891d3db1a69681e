package com.xloud.image.core.kernel;

/**
 * The command side of the image aggregate: a command (one of {@code com.xloud.image.core.command})
 * is decided, and its events appended and projected into the registry in one transaction, before
 * {@link #send} returns. A refusal is the {@link com.xloud.image.api.images.ImageException} the
 * aggregate threw.
 */
public interface Commands {
    /** Sends {@code command} and waits for its outcome (what the handler returned, often nothing). */
    <R> R send(Object command);
}
