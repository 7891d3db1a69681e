package com.xloud.image.registry;

import java.util.List;
import java.util.Map;

/**
 * Empty registry tables in a schema of their own ({@code <db>_rebuild}), filled by replaying the
 * event store while the live tables keep serving, then compared with the live tables and swapped
 * in for them with one atomic RENAME. The replaced tables stay in {@code <db>_previous} until the
 * next rebuild. Only one copy exists at a time across all nodes.
 */
public interface RegistryCopy extends AutoCloseable {

    /** The projections that write the copy, through a connection of its own (see {@link #commit}). */
    List<Object> projections();

    /** Commits what the projections wrote so far (the copy is invisible to readers anyway). */
    void commit();

    /**
     * Holds every registry write back (on all nodes) while {@code catchUp} feeds the copy the events
     * committed since the first pass, then compares the copy with the live tables and swaps them.
     * Reads go on throughout. Returns, per table, whether the live table already held exactly the
     * rows of the copy.
     */
    Map<String, Boolean> swap(Runnable catchUp);

    /** Drops what is left of the copy and lets the next rebuild start. */
    @Override
    void close();
}
