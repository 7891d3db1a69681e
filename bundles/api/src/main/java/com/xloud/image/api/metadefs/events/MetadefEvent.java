package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** What every catalog event has: the namespace's stream it belongs to, and who caused it. */
public interface MetadefEvent {
    String namespaceId();

    Origin origin();
}
